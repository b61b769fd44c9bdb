import XCTest
import Course

final class CourseRootTests: XCTestCase {
    /// A fake file system: the listed directories exist, the listed files exist, nothing else does.
    private func fileSystem(directories: [String], files: [String] = []) -> (String) -> CourseRoot.EntryKind {
        { path in
            if directories.contains(path) { return .directory }
            if files.contains(path) { return .file }
            return .missing
        }
    }

    func testOptionComesFirstAndIsResolvedAgainstTheWorkingDirectory() throws {
        let fs = fileSystem(directories: ["/home/u/mine", "/home/u/mine/Lessons", "/env", "/env/Lessons", "/work/Lessons", "/work"])
        let resolved = try CourseRoot.resolve(
            option: "../mine/", environment: ["INTERP_COURSE": "/env"], workingDirectory: "/home/u/work",
            fallback: "/work", entryKind: fs)
        XCTAssertEqual(resolved, .init(path: "/home/u/mine", source: .option))
    }

    func testEnvironmentComesSecond() throws {
        let fs = fileSystem(directories: ["/env", "/env/Lessons", "/home/u/Lessons"])
        let resolved = try CourseRoot.resolve(
            option: nil, environment: ["INTERP_COURSE": "/env"], workingDirectory: "/home/u/deep/dir", fallback: nil, entryKind: fs)
        XCTAssertEqual(resolved, .init(path: "/env", source: .environment))
    }

    func testNearestAncestorWithLessonsComesThird() throws {
        let fs = fileSystem(directories: ["/home/u/course/Lessons", "/home/Lessons", "/src/Lessons"])
        let resolved = try CourseRoot.resolve(
            option: nil, environment: ["INTERP_COURSE": ""], workingDirectory: "/home/u/course/Lessons/sub",
            fallback: "/src", entryKind: fs)
        XCTAssertEqual(resolved, .init(path: "/home/u/course", source: .ancestor))
    }

    func testFallbackComesLastAndRootIsChecked() throws {
        let fs = fileSystem(directories: ["/src/Lessons"])
        XCTAssertEqual(
            try CourseRoot.resolve(option: nil, environment: [:], workingDirectory: "/tmp/x", fallback: "/src", entryKind: fs),
            .init(path: "/src", source: .fallback))
        XCTAssertEqual(
            try CourseRoot.resolve(option: nil, environment: [:], workingDirectory: "/a", fallback: nil,
                                   entryKind: fileSystem(directories: ["/Lessons"])),
            .init(path: "/", source: .ancestor))
    }

    func testErrorsNameTheArgument() {
        let fs = fileSystem(directories: ["/plain"], files: ["/file"])
        func message(option: String?, environment: [String: String] = [:], fallback: String? = nil) -> String {
            do {
                _ = try CourseRoot.resolve(option: option, environment: environment, workingDirectory: "/wd", fallback: fallback, entryKind: fs)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message(option: "/missing"), "--course /missing: no such directory")
        XCTAssertEqual(message(option: "/file"), "--course /file: not a directory")
        XCTAssertEqual(message(option: "/plain"), "--course /plain: not a course directory (no Lessons/ folder)")
        XCTAssertEqual(message(option: nil, environment: ["INTERP_COURSE": "rel"]), "INTERP_COURSE=rel: no such directory")
        XCTAssertEqual(message(option: nil, fallback: "/plain"), "no course found from /wd: pass --course DIR or set INTERP_COURSE")
    }

    func testLiveFileSystemProbe() throws {
        let root = try FixturePaths.directory("good-course")
        XCTAssertEqual(CourseRoot.liveEntryKind(root), .directory)
        XCTAssertEqual(CourseRoot.liveEntryKind(root + "/Lessons/00-welcome.md"), .file)
        XCTAssertEqual(CourseRoot.liveEntryKind(root + "/nothing-here"), .missing)
        let resolved = try CourseRoot.resolve(option: nil, environment: [:], workingDirectory: root + "/Lessons", fallback: nil)
        XCTAssertEqual(resolved.path, root)
    }
}
