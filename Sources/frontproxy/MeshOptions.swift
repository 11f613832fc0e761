import ArgumentParser
import MeshConfig

/// `--gateway-namespace` and `--cluster-domain`, shared by the commands that compile a configuration.
struct MeshOptions: ParsableArguments {
    @Option(
        name: .customLong("gateway-namespace"),
        help: """
            The namespace the gateway proxy runs in; exportTo of VirtualServices, ServiceEntries and Services is \
            judged against it, as Istio judges it (not against the Gateway resource's namespace).
            """
    )
    var gatewayNamespace = CompileOptions.defaultGatewayNamespace

    @Option(
        name: .customLong("cluster-domain"),
        help: "The DNS suffix of Kubernetes Service hosts (NAME.NAMESPACE.svc.DOMAIN)."
    )
    var clusterDomain = CompileOptions.defaultClusterDomain

    func validate() throws {
        if let problem = compileOptions.problem { throw ValidationError(problem) }
    }

    var compileOptions: CompileOptions {
        CompileOptions(gatewayNamespace: gatewayNamespace, clusterDomain: clusterDomain)
    }
}
