import Foundation

// The `interp` executable: parse, call, print. Domain logic lives in the libraries.
Startup.configure()
let status = Dispatcher.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
