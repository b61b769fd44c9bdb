import ArgumentParser
import Foundation
@testable import InterpCLI
import XCTest

/// `interp CMD --help` and `-h`, one-shot and in the REPL, show that command's own help.
final class CommandHelpTests: XCTestCase {
    /// Every command path of the one command table: `quiz`, `quiz list`, `model info`, …
    private static func commandPaths() -> [[String]] {
        func paths(_ command: ParsableCommand.Type, prefix: [String]) -> [[String]] {
            let path = prefix + [CommandCatalog.name(of: command)]
            return [path] + command.configuration.subcommands.flatMap { paths($0, prefix: path) }
        }
        return CommandCatalog.all.flatMap { paths($0, prefix: []) }
    }

    func testEveryCommandShowsItsOwnHelpOneShotAndInTheREPL() throws {
        let runner = try InterpRunner()
        let commands = Self.commandPaths()
        XCTAssertGreaterThan(commands.count, 40, "\(commands)")
        var script = ""
        for path in commands {
            let usage = "USAGE: interp " + path.joined(separator: " ")
            for flag in ["--help", "-h"] {
                let r = try runner.run(path + [flag])
                XCTAssertEqual(r.status, 0, "\(path) \(flag): \(r.stderr)")
                XCTAssertTrue(r.stdout.contains(usage), "\(path) \(flag): \(r.stdout.prefix(300))")
                XCTAssertFalse(r.stdout.contains("Show subcommand help information"), "\(path) \(flag)")
            }
            script += path.joined(separator: " ") + " --help\n"
        }
        let repl = try runner.run([], stdin: script)
        XCTAssertEqual(repl.status, 0, repl.stderr)
        for path in commands {
            XCTAssertTrue(repl.stdout.contains("USAGE: interp " + path.joined(separator: " ")), "REPL \(path)")
        }
        XCTAssertFalse(repl.stdout.contains("Show subcommand help information"))
        // Global options before the command, and an option value after `--`, still work.
        XCTAssertTrue(try runner.run(["--color", "never", "quiz", "-h"]).stdout.contains("USAGE: interp quiz"))
    }
}
