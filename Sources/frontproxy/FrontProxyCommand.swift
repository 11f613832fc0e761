import ArgumentParser
import MeshConfig

/// `frontproxy`: an SNI front proxy configured with Istio YAML, and a harness that regression-checks the
/// routing rules.
@main
struct FrontProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontproxy",
        abstract: "An SNI front proxy configured with Istio YAML and the Kubernetes Services beside it.",
        version: FollowedReleases.versionLine(frontProxy: "0.1.0"),
        subcommands: [
            ServeCommand.self, ApplyCommand.self, DeleteCommand.self, GetCommand.self, TestCommand.self,
            ValidateCommand.self, RouteCommand.self,
        ]
    )
}
