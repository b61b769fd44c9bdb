import Foundation
@testable import Grading
import XCTest

/// The sandbox's command lines, its probe, and the process plumbing under it: descriptors a child
/// must not inherit, and a whole process group killed at the time limit.
final class SandboxTests: XCTestCase {
    let bubblewrap = Sandbox(kind: .bubblewrap, reason: nil, bwrap: "/usr/bin/bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv")
    let unsandboxed = Sandbox(kind: .none, reason: "bwrap is not installed", bwrap: nil, prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv")

    func job(hidden: [String] = [], readOnly: [String] = []) -> SandboxJob {
        SandboxJob(argv: ["/sandbox/program", "/sandbox/model.safetensors"], readOnly: readOnly,
                   placed: [(host: "/course/Exercises/.build/learner/X/program", inside: "/sandbox/program")],
                   environment: ["HOME": "/tmp", "PATH": "/usr/bin"], workingDirectory: "/scratch",
                   limits: ResourceLimits(cpuSeconds: 61, addressSpaceMB: 1024, processes: 64, fileSizeMB: 16), hidden: hidden)
    }

    func testBubblewrapIsolatesAndLimits() {
        let args = bubblewrap.commandLine(for: job())
        let text = args.joined(separator: " ")
        for flag in ["--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop ALL", "--die-with-parent", "--new-session", "--clearenv",
                     "--setenv HOME /tmp", "--setenv PATH /usr/bin", "--tmpfs /tmp", "--remount-ro /", "--chdir /tmp",
                     "--ro-bind /course/Exercises/.build/learner/X/program /sandbox/program"] {
            XCTAssertTrue(text.contains(flag), "missing \(flag): \(text)")
        }
        let tail = Array(args.drop { $0 != "/usr/bin/prlimit" })
        XCTAssertEqual(tail, ["/usr/bin/prlimit", "--cpu=61", "--as=\(1024 << 20)", "--fsize=\(16 << 20)", "--nofile=64", "--core=0", "--nproc=64", "--",
                              "/sandbox/program", "/sandbox/model.safetensors"])
        XCTAssertFalse(text.contains("--ro-bind / /"), "the host's root is not mounted")
        XCTAssertFalse(text.contains("--share-net"))
    }

    func testHiddenPathsUnderAMountedDirectoryAreMaskedAndWhatTheJobNeedsStaysVisible() {
        let args = bubblewrap.commandLine(for: job(hidden: ["/usr/local/course", "/home/me"], readOnly: ["/usr/local/course/Models/m.safetensors", "/opt/swift/usr/lib/swift/linux"]))
        let text = args.joined(separator: " ")
        XCTAssertTrue(text.contains("--tmpfs /usr/local/course") || !FileManager.default.fileExists(atPath: "/usr/local/course"), text)
        XCTAssertFalse(text.contains("--tmpfs /home/me"), "a hidden path that nothing mounts needs no mask")
        XCTAssertTrue(text.contains("--ro-bind /opt/swift/usr/lib/swift/linux /opt/swift/usr/lib/swift/linux"), text)
        // A needed file inside a masked directory is mounted after the mask.
        let mask = args.firstIndex(of: "/usr/local/course") ?? -1
        let model = args.lastIndex(of: "/usr/local/course/Models/m.safetensors") ?? -1
        XCTAssertGreaterThan(model, mask, text)
        // A real one: /usr is mounted, so a directory under it that must stay hidden gets a tmpfs.
        let real = bubblewrap.commandLine(for: job(hidden: ["/usr/share"])).joined(separator: " ")
        XCTAssertTrue(real.contains("--tmpfs /usr/share"), real)
    }

    func testUnsandboxedRunsKeepTheLimitsAndAParentDeathSignal() {
        let args = unsandboxed.commandLine(for: job())
        XCTAssertEqual(Array(args.prefix(4)), ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"])
        XCTAssertTrue(args.contains("--cpu=61") && args.contains("--as=\(1024 << 20)"), "\(args)")
        let nproc = args.first { $0.hasPrefix("--nproc=") }.flatMap { Int($0.dropFirst("--nproc=".count)) } ?? 0
        XCTAssertGreaterThanOrEqual(nproc, 64 + 1, "the limit comes on top of the user's processes")
        XCTAssertFalse(args.contains { $0.contains("bwrap") })
        XCTAssertEqual(unsandboxed.summary, "unsandboxed: bwrap is not installed")
        XCTAssertEqual(unsandboxed.visiblePath(host: "/a/program", inside: "/sandbox/program"), "/a/program")
        XCTAssertEqual(bubblewrap.visiblePath(host: "/a/program", inside: "/sandbox/program"), "/sandbox/program")
    }

    /// A bwrap that cannot create namespaces: the machine runs unsandboxed and says why.
    func testABubblewrapThatCannotRunMeansUnsandboxed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fake-bwrap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("bwrap")
        try "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let sandbox = Sandbox.detect(environment: ["PATH": dir.path + ":/usr/bin:/bin"])
        XCTAssertEqual(sandbox.kind, .none)
        XCTAssertEqual(sandbox.reason, "bwrap cannot create a sandbox here (bwrap: No permissions to create new namespace)")
        XCTAssertEqual(Sandbox.detect(environment: ["PATH": "/usr/bin:/bin", "INTERP_SANDBOX": "none"]).kind, .none)
    }

    func testAChildGetsOnlyTheDescriptorsItIsGiven() throws {
        let open = FileHandle(forReadingAtPath: "/etc/hostname") ?? FileHandle(forReadingAtPath: "/dev/null")!
        defer { try? open.close() }
        XCTAssertEqual(fcntl(open.fileDescriptor, F_GETFD) & FD_CLOEXEC, 0, "an inheritable descriptor in the parent")
        let r = try LimitedProcess(executable: "/bin/sh", arguments: ["-c", "ls /proc/self/fd"], timeLimit: 10).run()
        XCTAssertEqual(r.ending, .exited(0), r.stderr)
        let fds = r.stdout.split(separator: "\n").compactMap { Int($0) }.sorted()
        XCTAssertEqual(fds.filter { $0 > 3 }, [], "only 0, 1, 2 (and the listing's own): \(fds)")
        XCTAssertFalse(fds.contains(Int(open.fileDescriptor)) && open.fileDescriptor > 3)
    }

    func testTheTimeLimitKillsTheWholeGroup() throws {
        let marker = "976.\(Int.random(in: 100_000...999_999))"
        let start = Date()
        let r = try LimitedProcess(executable: "/bin/sh", arguments: ["-c", "sleep \(marker) & sleep \(marker) & sleep \(marker)"], timeLimit: 1).run()
        XCTAssertEqual(r.ending, .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        let deadline = Date().addingTimeInterval(3)
        while !ProcessTable.commandLines(containing: marker).isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertEqual(ProcessTable.commandLines(containing: marker), [])
    }
}
