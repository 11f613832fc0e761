import BenchCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The benchmark's load generator: drives one loopback target with one workload and prints one result line.
@main
struct Loadgen {
    static func main() {
        let configuration: LoadgenConfiguration
        do {
            configuration = try LoadgenConfiguration(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            StandardStream.error.writeLine("loadgen: \(error)\n\(LoadgenConfiguration.usage)")
            exit(2)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        do {
            let (line, met) =
                switch configuration.workload {
                case .cps: try runConnectionRate(configuration, group: group)
                case .throughput: try runThroughput(configuration, group: group)
                case .latency: try runLatency(configuration, group: group)
                }
            StandardStream.output.writeLine("target=\(configuration.target) \(line)")
            try? group.syncShutdownGracefully()
            exit(met ? 0 : 1)
        } catch {
            StandardStream.error.writeLine("loadgen: \(error)")
            exit(1)
        }
    }
}
