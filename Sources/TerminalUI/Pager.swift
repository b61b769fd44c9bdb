#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows long text one screen at a time.
///
/// On a terminal (stdin and stdout both TTYs) text taller than the screen goes to `$PAGER` (run
/// through `/bin/sh -c`, text on its stdin, `LESS=R` added when `LESS` is unset so colours survive)
/// or, when `$PAGER` is unset or cannot start, to a built-in pager: space/f next page, b back,
/// j/k/Enter/arrows one line, d/u half a page, g/G top/bottom, / search, n/N next/previous match,
/// q or Ctrl-C quit. The terminal is restored on every exit. Anything else is printed straight through.
public enum Pager {
    /// Prints `text` (a newline is added if missing), paging it when it is taller than the screen.
    public static func show(_ text: String, environment: [String: String] = Terminal.environment) {
        let body = text.hasSuffix("\n") ? text : text + "\n"
        guard Terminal.stdinIsTTY, Terminal.stdoutIsTTY,
              let rows = Terminal.rows, let columns = Terminal.columns,
              needsPaging(body, rows: rows, columns: columns) else {
            RawOutput.stdout(body)
            return
        }
        fflush(nil)
        if let pager = environment["PAGER"], !pager.allSatisfy(\.isWhitespace) {
            let extra = environment["LESS"] == nil ? ["LESS": "R"] : [:]
            switch ShellCommand.run(pager, arguments: [], input: body, extraEnvironment: extra) {
            case .exited(126), .exited(127), .failedToStart: break  // fall back to the built-in pager
            default: return
            }
        }
        BuiltinPager(text: body).run()
    }

    /// Whether `text` needs more rows than a `rows` × `columns` screen shows (keeping one row for the
    /// prompt), counting lines that the terminal will wrap.
    public static func needsPaging(_ text: String, rows: Int, columns: Int) -> Bool {
        let available = max(1, rows - 1)
        var used = 0
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            let width = CellText.width(String(line))
            used += max(1, (width + max(1, columns) - 1) / max(1, columns))
            if used > available { return true }
        }
        return false
    }
}

/// What the built-in pager shows: pure state, driven by key bytes (tested without a terminal).
struct PagerModel {
    let lines: [String]
    private let plain: [String]
    /// Index of the first line on screen.
    private(set) var top = 0
    /// Rows available for text (the screen minus the status line).
    var height: Int
    /// The search being typed after `/`, or nil.
    private(set) var typing: String?
    private(set) var lastQuery: String?
    private(set) var message: String?

    init(text: String, height: Int) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        self.plain = lines.map { stripANSI($0) }
        self.height = max(1, height)
    }

    var maxTop: Int { max(0, lines.count - height) }
    var atEnd: Bool { top >= maxTop }

    /// Applies the keys in `input` (one read's worth of bytes). Returns false when the user quit.
    mutating func handle(_ input: [UInt8]) -> Bool {
        var i = 0
        while i < input.count {
            if typing != nil {
                i += typeSearch(input, at: i)
                continue
            }
            message = nil
            let (consumed, keep) = command(input, at: i)
            if !keep { return false }
            i += consumed
        }
        top = min(max(0, top), maxTop)
        return true
    }

    /// One command key (or escape sequence) at `input[i]`: bytes consumed, and false to quit.
    private mutating func command(_ input: [UInt8], at i: Int) -> (Int, Bool) {
        let byte = input[i]
        if byte == 0x1B {
            let rest = Array(input[(i + 1)...].prefix(3))
            let sequences: [([UInt8], Int)] = [
                (Array("[A".utf8), -1), (Array("[B".utf8), 1), (Array("OA".utf8), -1), (Array("OB".utf8), 1),
                (Array("[5~".utf8), -height), (Array("[6~".utf8), height),
                (Array("[H".utf8), Int.min), (Array("[1~".utf8), Int.min),
                (Array("[F".utf8), Int.max), (Array("[4~".utf8), Int.max),
            ]
            for (sequence, move) in sequences where rest.starts(with: sequence) {
                scroll(move)
                return (1 + sequence.count, true)
            }
            return (1, true)  // a lone Escape or an unknown sequence: ignore the Escape
        }
        switch byte {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03: return (1, false)
        case UInt8(ascii: " "), UInt8(ascii: "f"), 0x06: scroll(height)
        case UInt8(ascii: "b"), 0x02: scroll(-height)
        case UInt8(ascii: "j"), UInt8(ascii: "e"), 0x0D, 0x0A, 0x0E: scroll(1)
        case UInt8(ascii: "k"), UInt8(ascii: "y"), 0x10: scroll(-1)
        case UInt8(ascii: "d"), 0x04: scroll(max(1, height / 2))
        case UInt8(ascii: "u"), 0x15: scroll(-max(1, height / 2))
        case UInt8(ascii: "g"), UInt8(ascii: "<"): scroll(Int.min)
        case UInt8(ascii: "G"), UInt8(ascii: ">"): scroll(Int.max)
        case UInt8(ascii: "/"): typing = ""
        case UInt8(ascii: "n"): find(forward: true)
        case UInt8(ascii: "N"): find(forward: false)
        default: break
        }
        return (1, true)
    }

    private mutating func scroll(_ amount: Int) {
        switch amount {
        case Int.min: top = 0
        case Int.max: top = maxTop
        default: top = min(max(0, top + amount), maxTop)
        }
    }

    /// Handles one byte of the search being typed; returns bytes consumed.
    private mutating func typeSearch(_ input: [UInt8], at i: Int) -> Int {
        let byte = input[i]
        switch byte {
        case 0x0D, 0x0A:
            let query = typing ?? ""
            typing = nil
            if !query.isEmpty { lastQuery = query }
            find(forward: true, includingTop: !query.isEmpty)
            return 1
        case 0x1B, 0x03, 0x07:
            typing = nil
            return input.count - i  // drop the rest of an escape sequence too
        case 0x7F, 0x08:
            if typing?.isEmpty == false { typing?.removeLast() } else { typing = nil }
            return 1
        default:
            // Collect a whole UTF-8 sequence; ignore other control bytes.
            var end = i + 1
            while end < input.count, input[end] & 0xC0 == 0x80 { end += 1 }
            if byte >= 0x20 { typing?.append(String(decoding: input[i..<end], as: UTF8.self)) }
            return end - i
        }
    }

    /// Moves the next (or previous) line containing the last query to the top of the screen.
    private mutating func find(forward: Bool, includingTop: Bool = false) {
        guard let query = lastQuery, !lines.isEmpty else {
            message = "no previous search"
            return
        }
        let needle = query.lowercased()
        let order: [Int] = forward
            ? Array((includingTop ? top : top + 1)..<lines.count)
            : Array((0..<min(top, lines.count)).reversed())
        if let hit = order.first(where: { plain[$0].lowercased().contains(needle) }) {
            top = hit
            if top > maxTop { message = "match on line \(hit + 1)" }
        } else {
            message = "pattern not found: \(query)"
        }
    }

    /// The status line: position, search being typed or message, key help.
    func status(width: Int) -> String {
        if let typing { return CellText.truncate("/" + typing, to: width) }
        let last = min(lines.count, top + height)
        let percent = lines.isEmpty ? 100 : last * 100 / lines.count
        var text = " lines \(lines.isEmpty ? 0 : top + 1)-\(last)/\(lines.count) \(percent)%"
        if atEnd { text += " (END)" }
        text += "  " + (message ?? "space next · b back · / search · q quit") + " "
        return CellText.truncate(text, to: width)
    }

    /// The whole screen as terminal output: each text row cleared and drawn, then the status line.
    func frame(width: Int) -> String {
        var out = "\u{1B}[H"
        for row in 0..<height {
            let index = top + row
            out += "\u{1B}[2K" + (index < lines.count ? lines[index] : "~") + "\u{1B}[0m\n"
        }
        out += "\u{1B}[2K\u{1B}[7m" + status(width: width) + "\u{1B}[0m"
        return out
    }
}

/// The built-in pager's terminal side: raw mode, alternate screen, key reading and restoring.
private struct BuiltinPager {
    let text: String

    func run() {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            RawOutput.stdout(text)
            return
        }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        TerminalRestore.saved = saved
        let previous = TerminalRestore.install()
        defer {
            TerminalRestore.restore()
            for (signal, disposition) in previous { disposition.restore(signal) }
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        emit(TerminalRestore.enter)

        var model = PagerModel(text: text, height: (Terminal.rows ?? 24) - 1)
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            model.height = max(1, (Terminal.rows ?? 24) - 1)
            emit(model.frame(width: Terminal.columns ?? 80))
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }  // a resize: redraw
            if n <= 0 { return }
            if !model.handle(Array(buffer[..<n])) { return }
        }
    }

    private func emit(_ s: String) {
        writeAll(STDOUT_FILENO, Array(s.utf8))
    }
}

/// Terminal state to put back if the pager is killed by a signal (SIGTERM, SIGHUP) rather than quit.
/// `nonisolated(unsafe)`: written once before the handlers are installed, then only read, by the one
/// thread running the pager or by the handler, which uses async-signal-safe calls only.
private enum TerminalRestore {
    nonisolated(unsafe) static var saved = termios()
    /// Alternate screen, no line wrapping (long lines are clipped), hidden cursor.
    static let enter = "\u{1B}[?1049h\u{1B}[?7l\u{1B}[?25l"
    static let leave: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?7h\u{1B}[?1049l"

    static func restore() {
        _ = write(STDOUT_FILENO, leave.utf8Start, leave.utf8CodeUnitCount)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }

    static func install() -> [(Int32, SignalDisposition)] {
        var result: [(Int32, SignalDisposition)] = []
        for signo in [SIGTERM, SIGHUP] {
            result.append((signo, SignalDisposition.handle(signo) { received in
                TerminalRestore.restore()
                signal(received, SIG_DFL)
                raise(received)
            }))
        }
        // A no-op handler, so that a resize interrupts `read` and the screen is redrawn.
        result.append((SIGWINCH, SignalDisposition.handle(SIGWINCH) { _ in }))
        return result
    }
}

// MARK: - Running a shell command in the foreground

/// How a child process ended.
enum ShellResult: Equatable {
    case exited(Int32)
    case signaled(Int32)
    case failedToStart(String)
}

/// Runs commands through `/bin/sh -c` the way `system()` does: the parent ignores SIGINT and SIGQUIT
/// while it waits (Ctrl-C belongs to the child), and the child gets default dispositions.
enum ShellCommand {
    /// Runs `command` with `$1…` set to `arguments`. With `input`, the child's stdin is a pipe carrying
    /// that text (a child that exits early is fine); otherwise it inherits this process's stdin.
    static func run(_ command: String, arguments: [String], input: String?,
                    extraEnvironment: [String: String] = [:]) -> ShellResult {
        var pipeFDs: [Int32] = [-1, -1]
        if input != nil, pipe(&pipeFDs) != 0 {
            return .failedToStart(String(cString: strerror(errno)))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[0], STDIN_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
            posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGWINCH, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        var environment = Terminal.environment
        for (key, value) in extraEnvironment { environment[key] = value }
        let argv = (["/bin/sh", "-c", command, "sh"] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        let ignoredINT = SignalDisposition.ignore(SIGINT)
        let ignoredQUIT = SignalDisposition.ignore(SIGQUIT)
        defer {
            ignoredQUIT.restore(SIGQUIT)
            ignoredINT.restore(SIGINT)
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        if input != nil { close(pipeFDs[0]) }
        guard status == 0 else {
            if input != nil { close(pipeFDs[1]) }
            return .failedToStart(String(cString: strerror(status)))
        }
        if let input { feed(input, to: pipeFDs[1]) }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 {
            if errno != EINTR { return .failedToStart(String(cString: strerror(errno))) }
        }
        let signal = waitStatus & 0x7F
        return signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signaled(signal)
    }

    /// Writes all of `text` to `fd` and closes it; stops quietly if the reader went away.
    private static func feed(_ text: String, to fd: Int32) {
        let ignoredPIPE = SignalDisposition.ignore(SIGPIPE)
        defer {
            close(fd)
            ignoredPIPE.restore(SIGPIPE)
        }
        writeAll(fd, Array(text.utf8))
    }
}
