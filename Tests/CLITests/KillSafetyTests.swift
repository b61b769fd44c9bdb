import Foundation
import XCTest

/// SIGKILL in the middle of progress writes: every write the learner saw confirmed is still there.
final class KillSafetyTests: XCTestCase {
    func testKillDuringProgressWritesKeepsEveryCommittedRow() throws {
        let runner = try InterpRunner()
        // A course of 90 lessons so the REPL has many writes to make.
        let course = runner.home.appendingPathComponent("big-course")
        let lessons = course.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        for n in 10..<100 {
            let text = "---\nid: lesson-\(n)\ntitle: Lesson \(n)\ntrack: 0\nminutes: 1\n---\n# Lesson \(n)\n\nText.\n"
            try text.write(to: lessons.appendingPathComponent("\(n)-lesson-\(n).md"), atomically: true, encoding: .utf8)
        }

        let process = Process()
        process.executableURL = InterpRunner.binary
        process.arguments = ["--course", course.path]
        process.environment = runner.environment
        let inPipe = Pipe(), outPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Feed many writes at once; the REPL works through them while we watch its output.
        var script = ""
        for round in 0..<20 {
            for n in 10..<100 { script += round % 2 == 0 ? "done \(n)\n" : "read \(n) --raw\n" }
        }
        inPipe.fileHandleForWriting.write(Data(script.utf8))

        var seen = ""
        var confirmed: Set<String> = []
        let deadline = Date().addingTimeInterval(60)
        while confirmed.count < 40, Date() < deadline {
            let chunk = outPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            for line in seen.split(separator: "\n") where line.hasPrefix("Marked '") {
                confirmed.insert(String(line.dropFirst(8).prefix { $0 != "'" }))
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(confirmed.count, 40, "the REPL confirmed too few writes before the kill")

        let listing = try runner.run(["lessons", "--json", "--course", course.path])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
        let completed = Set(rows.filter { $0["status"] as? String == "completed" }.compactMap { $0["id"] as? String })
        XCTAssertTrue(confirmed.isSubset(of: completed), "lost: \(confirmed.subtracting(completed).sorted())")
        // And the database still takes writes.
        let more = try runner.run(["done", "99", "--course", course.path])
        XCTAssertEqual(more.status, 0, more.stderr)
    }
}
