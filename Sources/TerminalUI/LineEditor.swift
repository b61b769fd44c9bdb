@preconcurrency import CEditline
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interactive line editing on a terminal, over libedit's readline-compatible API: a prompt (colour
/// allowed), history kept in a file, tab completion through a Swift closure, Ctrl-C abandons the line,
/// Ctrl-D on an empty line ends input.
///
/// libedit keeps global state, so create one editor per process and use it from one thread (the
/// REPL's). Use it only when stdin is a terminal; `StdinLineSource` serves pipes.
public final class LineEditor: LineSource {
    /// Completion candidates for the word under the cursor. `line` is the text of the line up to the
    /// cursor (it ends with `word`); `word` is the partial word being completed (possibly empty).
    /// Return every candidate that makes sense here: the editor keeps those starting with `word`.
    public typealias Completer = (_ line: String, _ word: String) -> [String]

    private let historyPath: String?
    private let warn: (String) -> Void
    private var historyWritable = true

    /// - Parameters:
    ///   - historyFile: file to load history from and save it to (its directory is created if
    ///     missing); nil keeps history in memory only.
    ///   - historyLimit: at most this many entries are kept, in memory and in the file.
    ///   - name: the application name libedit uses to pick settings from `~/.editrc`.
    ///   - completer: tab-completion provider; nil disables completion (Tab inserts nothing).
    ///   - warn: where one-line warnings go (history that cannot be read or written); stderr by default.
    public init(historyFile: String?, historyLimit: Int = 1000, name: String = "interp",
                completer: Completer? = nil, warn: @escaping (String) -> Void = LineEditor.warnOnStderr) {
        self.historyPath = historyFile
        self.warn = warn
        EditorState.completer = completer
        EditorState.configure(name: name)
        clear_history()
        stifle_history(Int32(clamping: max(1, historyLimit)))
        if let path = historyFile { loadHistory(path) }
    }

    deinit {
        EditorState.completer = nil
    }

    public var isInteractive: Bool { true }

    /// Reads one line with `prompt` (ANSI colour codes in it are fine). Returns `.interrupted` when
    /// Ctrl-C abandoned the line (a fresh prompt should follow) and `.endOfInput` on Ctrl-D.
    public func read(prompt: String) -> LineInput {
        Interrupt.clear()
        let previousINT = Interrupt.installCooperativeHandler()
        let previousWINCH = EditorState.installResizeHandler()
        let previousCONT = EditorState.installContinueHandler()
        defer {
            previousCONT.restore(SIGCONT)
            previousWINCH.restore(SIGWINCH)
            previousINT.restore(SIGINT)
        }
        EditorState.abandoned = false
        let raw = readline(LineEditor.markEscapes(prompt))
        defer { free(raw) }
        if EditorState.abandoned {
            Interrupt.clear()
            return .interrupted
        }
        guard let raw else {
            RawOutput.stdout("\n")  // libedit leaves the cursor after its "^D"
            return .endOfInput
        }
        return .line(String(cString: raw))
    }

    /// Appends `line` to the history (not blank lines, nor a repeat of the last entry) and saves
    /// the history file. A file that cannot be written gives one warning, then history stays in memory.
    public func addToHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        let last = history_length > 0 ? history_get(history_base + history_length - 1) : nil
        if let last, let text = last.pointee.line, String(cString: text) == line { return }
        add_history(line)
        saveHistory()
    }

    /// The entries currently in the history, oldest first.
    public var historyEntries: [String] {
        (0..<Int(history_length)).compactMap { i in
            history_get(history_base + Int32(i))?.pointee.line.map { String(cString: $0) }
        }
    }

    /// Writes a warning line to stderr.
    public static func warnOnStderr(_ message: String) {
        RawOutput.stderr(message + "\n")
    }

    // MARK: - History file

    private func loadHistory(_ path: String) {
        guard access(path, F_OK) == 0 else { return }
        let status = read_history(path)
        if status != 0 {
            warn("warning: cannot read history file \(path): \(String(cString: strerror(status)))")
        }
    }

    private func saveHistory() {
        guard historyWritable, let path = historyPath else { return }
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        if !directory.isEmpty, let failure = makeDirectories(directory) {
            historyWritable = false
            warn("warning: history not saved: cannot create \(directory): \(failure)")
            return
        }
        // Write a sibling temp file and rename it over the history, so a crash never leaves half a file.
        let temp = path + ".tmp\(getpid())"
        let status = write_history(temp)
        if status != 0 || rename(temp, path) != 0 {
            let reason = String(cString: strerror(status != 0 ? status : errno))
            unlink(temp)
            historyWritable = false
            warn("warning: history not saved to \(path): \(reason)")
        }
    }
}

extension LineEditor {
    /// Wraps each run of ANSI escape sequences in the prompt in readline's ignore markers
    /// (RL_PROMPT_START_IGNORE `\u{1}` … RL_PROMPT_END_IGNORE `\u{2}`), so that libedit does not count
    /// them as columns and the cursor stays right. Adjacent sequences share one pair of markers.
    static func markEscapes(_ prompt: String) -> String {
        var out = String.UnicodeScalarView()
        var inEscape = false, inRun = false
        for scalar in prompt.unicodeScalars {
            if scalar == "\u{1B}" {
                if !inRun { out.append("\u{1}") }
                inEscape = true
                inRun = true
                out.append(scalar)
                continue
            }
            if inRun && !inEscape {
                out.append("\u{2}")
                inRun = false
            }
            out.append(scalar)
            if inEscape, (0x40...0x7E).contains(scalar.value), scalar != "[" { inEscape = false }
        }
        if inRun { out.append("\u{2}") }
        return String(out)
    }

    /// Decodes the bytes gathered so far: a scalar when they form one (consuming them), nil when more
    /// bytes are needed. Invalid bytes become U+FFFD.
    static func decodeScalar(_ bytes: inout [UInt8]) -> Int32? {
        guard let first = bytes.first else { return nil }
        let needed: Int
        switch first {
        case 0..<0x80: needed = 1
        case 0xC2..<0xE0: needed = 2
        case 0xE0..<0xF0: needed = 3
        case 0xF0..<0xF5: needed = 4
        default:
            bytes.removeAll()
            return 0xFFFD
        }
        if bytes.count > 1, bytes.last.map({ $0 & 0xC0 != 0x80 }) == true {
            bytes.removeAll()
            return 0xFFFD
        }
        guard bytes.count >= needed else { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        defer { bytes.removeAll() }
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return Int32(scalar.value) }
        return 0xFFFD
    }
}

/// Creates `path` and its missing parents (mode 0700: history is private). Returns an error text on
/// failure, nil on success.
private func makeDirectories(_ path: String) -> String? {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
            return String(cString: strerror(errno))
        }
        prefix += "/"
    }
    var info = stat()
    if stat(path, &info) != 0 { return String(cString: strerror(errno)) }
    if info.st_mode & S_IFMT != S_IFDIR { return "not a directory" }
    return nil
}

/// libedit's callbacks are C function pointers and cannot capture context, so the state they need
/// lives here in globals. `nonisolated(unsafe)` is sound because libedit calls back only from inside
/// `readline()`, on the thread that called it, and the REPL reads lines from a single thread; the
/// signal handlers only touch `resizePending` and `continuePending`, atomic-width flags they set and
/// the reader clears.
private enum EditorState {
    nonisolated(unsafe) static var completer: LineEditor.Completer?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var candidateIndex = 0
    nonisolated(unsafe) static var abandoned = false
    nonisolated(unsafe) static var pendingKeys: [Int32] = []
    nonisolated(unsafe) static var utf8: [UInt8] = []
    nonisolated(unsafe) static var configured = false
    nonisolated(unsafe) static var resizePending: sig_atomic_t = 0
    nonisolated(unsafe) static var continuePending: sig_atomic_t = 0

    static func configure(name: String) {
        guard !configured else { return }
        configured = true
        setUTF8Locale()
        rl_readline_name = UnsafePointer(strdup(name))  // kept for the life of the process
        rl_catch_signals = 0            // Ctrl-C and resizes are handled in `readKey` instead
        rl_getc_function = readKey
        rl_attempted_completion_function = attemptCompletion
        rl_initialize()
        using_history()
    }

    /// libedit decodes input with the C locale's multibyte rules; Swift programs start in "C".
    private static func setUTF8Locale() {
        if let set = setlocale(LC_CTYPE, ""), String(cString: set) != "C", String(cString: set) != "POSIX" {
            return
        }
        _ = setlocale(LC_CTYPE, "C.UTF-8")
    }

    static func installResizeHandler() -> SignalDisposition {
        SignalDisposition.handle(SIGWINCH) { _ in EditorState.resizePending = 1 }
    }

    /// After Ctrl-Z and `fg` the shell has put the terminal back in cooked mode: note it, so that
    /// `readKey` restores libedit's mode and redraws the line before reading on.
    static func installContinueHandler() -> SignalDisposition {
        SignalDisposition.handle(SIGCONT) { _ in EditorState.continuePending = 1 }
    }
}

/// libedit's input function: one character (a Unicode scalar) per call, -1 at end of input.
/// A read interrupted by Ctrl-C abandons the line: it moves to the end of the line, echoes `^C` and
/// sends a newline, and `read(prompt:)` then discards what libedit returns.
private func readKey(_: UnsafeMutablePointer<FILE>?) -> Int32 {
    if !EditorState.pendingKeys.isEmpty {
        let key = EditorState.pendingKeys.removeFirst()
        if key == 0x0A { _ = write(STDOUT_FILENO, "^C", 2) }
        return key
    }
    while true {
        if EditorState.continuePending != 0 {
            EditorState.continuePending = 0
            rl_deprep_terminal()  // libedit still believes it is in raw mode: leave it, then re-enter
            rl_prep_terminal(1)
            rl_forced_update_display()
        }
        var byte: UInt8 = 0
        let n = read(STDIN_FILENO, &byte, 1)
        if n == 1 {
            EditorState.utf8.append(byte)
            if let scalar = LineEditor.decodeScalar(&EditorState.utf8) { return scalar }
            continue
        }
        if n == 0 { return -1 }
        guard errno == EINTR else { return -1 }
        if Interrupt.isRequested {
            EditorState.abandoned = true
            EditorState.utf8.removeAll()
            EditorState.pendingKeys = [0x0A]
            return 0x05  // Ctrl-E: end of line, so `^C` lands after the text
        }
        if EditorState.resizePending != 0 {
            EditorState.resizePending = 0
            rl_resize_terminal()
        }
    }
}

/// libedit's completion hook: matches for the word between `start` and `end` (in characters).
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1  // never fall back to file-name completion
    guard let completer = EditorState.completer, let text else { return nil }
    let word = String(cString: text)
    let buffer = rl_line_buffer.map { String(cString: $0) } ?? ""
    let line = String(String.UnicodeScalarView(buffer.unicodeScalars.prefix(max(0, Int(end)))))
    var seen = Set<String>()
    EditorState.candidates = completer(line, word).filter { $0.hasPrefix(word) && seen.insert($0).inserted }
    EditorState.candidateIndex = 0
    guard !EditorState.candidates.isEmpty else { return nil }
    return rl_completion_matches(text, nextCandidate)
}

/// Generator libedit calls repeatedly (state 0 first) to collect the matches, each a malloc'd copy.
private func nextCandidate(_: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { EditorState.candidateIndex = 0 }
    guard EditorState.candidateIndex < EditorState.candidates.count else { return nil }
    defer { EditorState.candidateIndex += 1 }
    return strdup(EditorState.candidates[EditorState.candidateIndex])
}
