import ArgumentParser

/// `frontproxy`: an SNI front proxy configured with Istio YAML, and a harness that regression-checks the
/// routing rules.
@main
struct FrontProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontproxy",
        abstract: "An SNI front proxy configured with Istio Gateway, VirtualService and ServiceEntry YAML.",
        version: "0.1.0",
        subcommands: [ValidateCommand.self, RouteCommand.self, TestCommand.self]
    )
}
