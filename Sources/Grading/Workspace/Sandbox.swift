import Foundation

/// Where learner code is compiled and run.
///
/// Under bubblewrap (`bwrap`): new user, pid, network, IPC, UTS and cgroup namespaces (no
/// network; the sandbox's processes all die with it), no capabilities, no further user namespaces,
/// a new session (no controlling terminal), a read-only root that holds only the system libraries
/// (`/usr`, the loader's cache), the Swift runtime and the paths a job names, a private `/tmp` of
/// bounded size as the working directory, a scrubbed environment, rlimits on CPU time, address
/// space, processes, file size and open files, and `--die-with-parent`. The course, the interp
/// source tree, the progress database, `$HOME` and the XDG directories are not mounted (and are
/// masked should one sit below a mounted directory).
///
/// Where bwrap cannot run (not installed, no user namespaces) — or with `INTERP_SANDBOX=none` —
/// the job runs unsandboxed: the same rlimits (`prlimit`), the scrubbed environment, an empty
/// working directory and a parent-death signal (`setpriv`), nothing more; such grades are marked
/// unsandboxed.
public struct Sandbox: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case bubblewrap, none }

    public let kind: Kind
    /// Why learner code runs without a sandbox (nil under bubblewrap), one line.
    public let reason: String?
    let bwrap: String?
    let prlimit: String?
    let setpriv: String?

    /// The environment variable that turns the sandbox off (`none`).
    public static let switchKey = "INTERP_SANDBOX"

    /// The sandbox of this machine: bwrap is tried once per process (a trivial sandbox must start).
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Sandbox {
        let tools = (prlimit: which("prlimit", environment), setpriv: which("setpriv", environment))
        if environment[switchKey] == "none" {
            return Sandbox(kind: .none, reason: "\(switchKey)=none is set", bwrap: nil, prlimit: tools.prlimit, setpriv: tools.setpriv)
        }
        guard let bwrap = which("bwrap", environment) else {
            return Sandbox(kind: .none, reason: "bubblewrap (bwrap) is not installed", bwrap: nil, prlimit: tools.prlimit, setpriv: tools.setpriv)
        }
        if let failure = probe(bwrap) {
            return Sandbox(kind: .none, reason: "bwrap cannot create a sandbox here (\(failure))", bwrap: nil, prlimit: tools.prlimit, setpriv: tools.setpriv)
        }
        guard tools.prlimit != nil else {
            return Sandbox(kind: .none, reason: "prlimit (util-linux) is not installed", bwrap: nil, prlimit: nil, setpriv: tools.setpriv)
        }
        return Sandbox(kind: .bubblewrap, reason: nil, bwrap: bwrap, prlimit: tools.prlimit, setpriv: tools.setpriv)
    }

    /// One line for the learner, e.g. "sandboxed (bubblewrap)" or "unsandboxed: bwrap is not installed".
    public var summary: String {
        kind == .bubblewrap ? "sandboxed (bubblewrap)" : "unsandboxed: \(reason ?? "no sandbox")"
    }

    private static let probes = ProbeCache()

    /// nil when `bwrap` starts a minimal sandbox; else the first line it printed.
    private static func probe(_ bwrap: String) -> String? {
        probes.result(for: bwrap) {
            let argv = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL", "--die-with-parent",
                        "--new-session", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "/bin/true"]
            guard let err = try? PipePair() else { return "cannot create a pipe" }
            guard let child = try? ChildProcess.spawn(argv, environment: [:], descriptors: [1: err.write, 2: err.write]) else {
                close(err.read); close(err.write)
                return "cannot start \(bwrap)"
            }
            close(err.write)
            let output = OutputCollector(err.read, limit: 4096)
            let status = child.wait(until: Date().addingTimeInterval(10)) ?? child.stop()
            let text = output.finish(waiting: 1).text.split(separator: "\n").first.map(String.init) ?? ""
            return status == .exited(0) ? nil : (text.isEmpty ? "status \(status)" : text)
        }
    }

    static func which(_ tool: String, _ environment: [String: String]) -> String? {
        let path = environment["PATH"].map { $0.split(separator: ":").map(String.init) } ?? []
        for dir in path + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Limits of one sandboxed program.
struct ResourceLimits: Sendable, Equatable {
    var cpuSeconds: Int
    var addressSpaceMB: Int
    /// Processes (threads count too) of the sandbox's user.
    var processes: Int
    var fileSizeMB: Int
    var openFiles = 64
    /// Size of the private `/tmp` (bubblewrap only).
    var tmpMB = 64
}

/// A program to run in the sandbox. Paths are the same inside and out, except `placed` ones.
struct SandboxJob: Sendable {
    var argv: [String]
    /// Files and directories the program may read.
    var readOnly: [String] = []
    /// Files the program may read at another path inside (bubblewrap; unsandboxed, at the host path):
    /// the learner's program and its model, so that it sees nothing of where they live.
    var placed: [(host: String, inside: String)] = []
    /// Directories the program may write (the compiler's output, its module cache).
    var writable: [String] = []
    /// The whole environment of the program.
    var environment: [String: String]
    /// Unsandboxed only: an empty directory to run in (under bubblewrap: the private /tmp).
    var workingDirectory: String
    var limits: ResourceLimits
    /// Paths that must stay invisible even if a mounted directory holds them (course, database, home…).
    var hidden: [String] = []
}

extension Sandbox {
    /// The system directories every program needs: /usr, and the top-level links or directories into it.
    static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache", "/etc/alternatives"]

    /// Where a file placed at `inside` is seen by the program: there under bubblewrap, else at `host`.
    func visiblePath(host: String, inside: String) -> String {
        kind == .bubblewrap ? inside : host
    }

    /// The command line that runs `job` under this sandbox.
    func commandLine(for job: SandboxJob) -> [String] {
        let fm = FileManager.default
        let l = job.limits
        var limited: [String] = []
        if let prlimit {
            limited = [prlimit, "--cpu=\(l.cpuSeconds)", "--as=\(l.addressSpaceMB << 20)", "--fsize=\(l.fileSizeMB << 20)",
                       "--nofile=\(l.openFiles)", "--core=0"]
            // Processes are counted per user: inside its own user namespace the sandbox starts from
            // zero; unsandboxed, the limit comes on top of what the user already runs.
            limited.append("--nproc=\(kind == .bubblewrap ? l.processes : Self.processesOfThisUser() + l.processes)")
            limited.append("--")
        }
        guard kind == .bubblewrap, let bwrap else {
            let deathSignal = setpriv.map { [$0, "--pdeathsig", "KILL", "--"] } ?? []
            return deathSignal + limited + job.argv
        }
        var args = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
                    "--clearenv"]
        for (key, value) in job.environment.sorted(by: { $0.key < $1.key }) { args += ["--setenv", key, value] }
        args += ["--proc", "/proc", "--dev", "/dev", "--size", "\(l.tmpMB << 20)", "--tmpfs", "/tmp",
                 "--size", "\(1 << 20)", "--tmpfs", "/dev/shm"]
        var mounted: [String] = []
        for path in Self.systemPaths {
            if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
                args += ["--symlink", target, path]
            } else if fm.fileExists(atPath: path) {
                args += ["--ro-bind", path, path]
                mounted.append(path)
            }
        }
        // What the job names: outside the masked paths first, then the masks, then what lies inside
        // them, so that a mask never hides what the job needs.
        for path in job.readOnly where !Self.isInside(path, mounted) && !Self.isInside(path, job.hidden) {
            args += ["--ro-bind", path, path]
            mounted.append(path)
        }
        for path in job.hidden where Self.isInside(path, mounted) {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            args += isDirectory.boolValue ? ["--tmpfs", path] : ["--ro-bind", "/dev/null", path]
        }
        for path in job.readOnly where Self.isInside(path, job.hidden) { args += ["--ro-bind", path, path] }
        for (host, inside) in job.placed { args += ["--ro-bind", host, inside] }
        for path in job.writable { args += ["--bind", path, path] }
        args += ["--remount-ro", "/", "--chdir", "/tmp", "--"]
        return args + limited + job.argv
    }

    /// Whether `path` is one of `directories` or below one.
    static func isInside(_ path: String, _ directories: [String]) -> Bool {
        directories.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// How many processes this user runs now.
    static func processesOfThisUser() -> Int {
        let uid = getuid()
        return ProcessTable.entries().filter { $0.uid == uid }.count
    }
}

/// Remembers one probe result per bwrap path for the life of the process.
private final class ProbeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [String: String?] = [:]

    func result(for key: String, _ compute: () -> String?) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if let known = results[key] { return known }
        let value = compute()
        results[key] = .some(value)
        return value
    }
}
