import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn` in a session of its own (so it has no controlling
/// terminal and its whole process group can be killed at once), with exactly the file descriptors
/// it is given: every other descriptor of interp (the progress database, other pipes) is closed in
/// the child. Spawn and wait on the same thread: a parent-death signal (`setpriv --pdeathsig`,
/// `bwrap --die-with-parent`) fires when the spawning thread ends.
struct ChildProcess {
    let pid: pid_t

    /// How a child ended.
    enum Status: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Starts `argv[0]` (an absolute path) with `argv`, `environment` and, in the child, descriptor
    /// `k` set to `descriptors[k]` of the parent (0, 1, 2 and any others; 0 defaults to /dev/null).
    /// - Throws: `GraderError` when the program cannot be started.
    static func spawn(_ argv: [String], environment: [String: String], workingDirectory: String? = nil,
                      descriptors: [Int32: Int32]) throws -> ChildProcess {
        guard let program = argv.first, program.hasPrefix("/") else { throw GraderError("internal: \(argv.first ?? "no program") is not an absolute path") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var fds = descriptors
        if fds[0] == nil { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        // Move every source out of the way first, so that mapping 3 → 4 and 4 → 3 cannot clobber.
        let high: Int32 = 1000
        for (i, (target, source)) in fds.sorted(by: { $0.key < $1.key }).enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, high + Int32(i))
            fds[target] = high + Int32(i)
        }
        for (target, source) in fds { posix_spawn_file_actions_adddup2(&actions, source, target) }
        let keep = (fds.keys.max() ?? 2) + 1
        try closeFrom(keep, &actions)
        if let workingDirectory { try changeDirectory(workingDirectory, &actions) }

        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        flags |= spawnSetSID
        posix_spawnattr_setflags(&attributes, flags)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let args = argv.map { strdup($0) } + [nil]
        let env = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in args + env { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, &attributes, args, env)
        guard rc == 0 else { throw GraderError("cannot start \(program): \(String(cString: strerror(rc)))") }
        return ChildProcess(pid: pid)
    }

    /// Kills the child's whole process group (it leads its own session, so the group id is its
    /// pid, and that id is not reused while any member of the group lives).
    func killGroup(_ signal: Int32 = SIGKILL) {
        kill(-pid, signal)
    }

    /// The status once the child has ended; nil while it runs. Reaps it.
    func poll() -> Status? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return r < 0 ? .exited(-1) : nil }
        return Self.decode(status)
    }

    /// Waits until the child ends, `deadline` passes or `cancelled` says so (checked every 10 ms).
    /// Returns nil when it is still running.
    func wait(until deadline: Date, cancelled: () -> Bool = { false }) -> Status? {
        while true {
            if let status = poll() { return status }
            if Date() >= deadline || cancelled() { return nil }
            usleep(10_000)
        }
    }

    /// Kills the group and reaps the child.
    @discardableResult
    func stop() -> Status {
        killGroup()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.decode(status)
    }

    private static func decode(_ status: Int32) -> Status {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    // MARK: - posix_spawn extensions looked up at run time (glibc ≥ 2.29/2.34 and macOS have them)

    #if os(Linux)
    private static let spawnSetSID: Int16 = 0x80   // POSIX_SPAWN_SETSID, not exported to Swift
    #else
    private static let spawnSetSID = Int16(POSIX_SPAWN_SETSID)
    #endif

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let p = dlsym(handle, name) else { return nil }
        return unsafeBitCast(p, to: type)
    }

    private static func closeFrom(_ fd: Int32, _ actions: inout posix_spawn_file_actions_t) throws {
        if let closefrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self) {
            guard closefrom(&actions, fd) == 0 else { throw GraderError("internal: cannot close descriptors for a child") }
            return
        }
        // Older C libraries: close every descriptor open now.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
            ?? Array(fd..<1024)
        for other in open where other >= fd && fcntl(other, F_GETFD) != -1 { posix_spawn_file_actions_addclose(&actions, other) }
    }

    private static func changeDirectory(_ path: String, _ actions: inout posix_spawn_file_actions_t) throws {
        guard let chdir = symbol("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self),
              chdir(&actions, path) == 0 else { throw GraderError("internal: cannot set the working directory of a child") }
    }
}

/// A pipe whose ends are closed on exec (the child gets the ends it is given, as a copy).
struct PipePair {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw GraderError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        read = fds[0]
        write = fds[1]
    }
}

/// Reads a descriptor to its end on a background thread, keeping the last `limit` bytes (the end
/// of a long output is where a crash says what happened) and counting all of them.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [UInt8] = []
    private var total = 0
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `fd` (and closes it at its end).
    init(_ fd: Int32, limit: Int = 1 << 20) {
        DispatchQueue.global().async { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock()
                total += n
                kept += buffer[0..<n]
                if kept.count > 2 * limit { kept.removeFirst(kept.count - limit) }
                lock.unlock()
            }
            close(fd)
            lock.lock()
            if kept.count > limit { kept.removeFirst(kept.count - limit) }
            lock.unlock()
            done.signal()
        }
    }

    /// Waits (at most `seconds`) for the end of the output; returns the bytes kept and the total count.
    func finish(waiting seconds: Double = 5) -> (text: String, bytes: Int) {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return (String(decoding: kept, as: UTF8.self), total)
    }
}
