import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of reading one line.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C abandoned the line.
    case interrupted
    /// Ctrl-D on an empty line, or the end of a pipe or file.
    case endOfInput
}

/// Where lines of input come from: the `LineEditor` on a terminal, `StdinLineSource` on a pipe,
/// `ArrayLineSource` in tests. The REPL and the prompts below read through one shared source, so
/// scripted sessions can feed commands and quiz answers line by line.
public protocol LineSource: AnyObject {
    /// Reads the next line (without its newline), showing `prompt` when the source is interactive.
    func read(prompt: String) -> LineInput
    /// Whether a person is typing (a terminal): prompts, confirmations and `$EDITOR` make sense.
    var isInteractive: Bool { get }
    /// Records a command line in the history, if the source keeps one.
    func addToHistory(_ line: String)
}

extension LineSource {
    public func addToHistory(_ line: String) {}

    /// The next line; Ctrl-C abandons the line being typed and prompts again. Nil at end of input.
    public func readLine(prompt: String) -> String? {
        while true {
            switch read(prompt: prompt) {
            case .line(let text): return text
            case .interrupted: continue
            case .endOfInput: return nil
            }
        }
    }
}

/// Lines from standard input without libedit: for pipes and files (scripted sessions), or a terminal
/// when no editor is wanted. Keep one instance per process: it buffers what it reads ahead.
public final class StdinLineSource: LineSource {
    private let fd: Int32
    private let showPrompts: Bool
    private var buffer: [UInt8] = []
    private var atEnd = false

    /// - Parameters:
    ///   - fd: the file descriptor to read (standard input by default).
    ///   - showPrompts: write prompts to stdout before reading; by default only when `fd` is a terminal.
    public init(fd: Int32 = STDIN_FILENO, showPrompts: Bool? = nil) {
        self.fd = fd
        self.showPrompts = showPrompts ?? (isatty(fd) == 1)
    }

    public var isInteractive: Bool { isatty(fd) == 1 }

    /// Reads up to the next newline (a trailing `\r` is dropped too). Ctrl-C while waiting gives
    /// `.interrupted` on a terminal and `.endOfInput` on a pipe (the scripted session stops).
    public func read(prompt: String) -> LineInput {
        if showPrompts, !prompt.isEmpty {
            RawOutput.stdout(prompt)
        }
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var lineBytes = buffer[..<newline]
                if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
                let line = String(decoding: lineBytes, as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if atEnd {
                guard !buffer.isEmpty else { return .endOfInput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return .line(line)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { readBytes(fd, $0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
            } else if n == 0 {
                atEnd = true
            } else if errno == EINTR {
                if Interrupt.isRequested {
                    Interrupt.clear()
                    buffer.removeAll()
                    return isInteractive ? .interrupted : .endOfInput
                }
            } else {
                atEnd = true
            }
        }
    }
}

/// `read(2)` (the name is taken by `LineSource.read(prompt:)` inside the sources).
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}

/// Lines from an array: scripted input for tests. Records the prompts it was asked to show.
public final class ArrayLineSource: LineSource {
    private var lines: [LineInput]
    public let isInteractive: Bool
    /// The prompts passed to `read(prompt:)`, in order.
    public private(set) var prompts: [String] = []
    /// The lines passed to `addToHistory(_:)`.
    public private(set) var history: [String] = []

    public init(_ lines: [String], interactive: Bool = false) {
        self.lines = lines.map { LineInput.line($0) }
        self.isInteractive = interactive
    }

    /// A script that may include `.interrupted` (Ctrl-C) events.
    public init(inputs: [LineInput], interactive: Bool = false) {
        self.lines = inputs
        self.isInteractive = interactive
    }

    public func read(prompt: String) -> LineInput {
        prompts.append(prompt)
        return lines.isEmpty ? .endOfInput : lines.removeFirst()
    }

    public func addToHistory(_ line: String) { history.append(line) }
}

/// Questions that need an answer from the user: a line, a multi-line text, a yes/no confirmation.
/// Everything is read through a `LineSource`, so the same code serves the terminal and a pipe.
public struct Prompter {
    public let source: LineSource
    private let output: (String) -> Void
    private let editFile: (String) -> Bool

    /// - Parameters:
    ///   - source: where answers come from.
    ///   - output: where hints and notes go (stdout by default).
    ///   - editFile: opens the given file in an editor and returns whether it exited successfully;
    ///     by default `$VISUAL`, `$EDITOR` or `vi` (see `Prompter.openInEditor`).
    public init(source: LineSource,
                output: ((String) -> Void)? = nil,
                editFile: @escaping (String) -> Bool = { Prompter.openInEditor($0) }) {
        self.source = source
        self.output = output ?? { RawOutput.stdout($0) }
        self.editFile = editFile
    }

    /// Whether questions can be asked at all. When false, a command that needs a confirmation must
    /// require `--yes` instead.
    public var canPrompt: Bool { source.isInteractive }

    /// One line of answer, or nil on Ctrl-C or end of input.
    public func line(_ prompt: String) -> String? {
        if case .line(let text) = source.read(prompt: prompt) { return text }
        return nil
    }

    /// The line that ends a multi-line answer.
    public static let terminator = "."
    /// The line that opens the answer so far in `$EDITOR` (interactive sources only).
    public static let editCommand = ":e"

    /// Reads a multi-line answer: lines until one holding only `.` or the end of input. On a terminal,
    /// a line holding only `:e` opens `$EDITOR` on the text typed so far, and the saved file is the
    /// answer. Returns nil when Ctrl-C cancels, or when input ends before any line.
    public func multiline(prompt: String = "… ") -> String? {
        if canPrompt {
            output("(finish with a line holding only \(Self.terminator), or type \(Self.editCommand) to use $EDITOR)\n")
        }
        var lines: [String] = []
        while true {
            switch source.read(prompt: prompt) {
            case .interrupted:
                return nil
            case .endOfInput:
                return lines.isEmpty ? nil : lines.joined(separator: "\n")
            case .line(let text):
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed == Self.terminator { return lines.joined(separator: "\n") }
                if canPrompt, trimmed == Self.editCommand {
                    if let edited = editInFile(lines.joined(separator: "\n")) { return edited }
                    output("(the editor did not finish cleanly; keep typing)\n")
                    continue
                }
                lines.append(text)
            }
        }
    }

    /// Asks a yes/no question; the answer defaults to no. Returns false without asking when the
    /// source cannot prompt, on Ctrl-C, at end of input, and after three unclear answers.
    public func confirm(_ question: String) -> Bool {
        guard canPrompt else { return false }
        for _ in 0..<3 {
            guard let answer = line(question + " [y/N] ") else { return false }
            switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
            case "y", "yes": return true
            case "", "n", "no": return false
            default: output("Please answer y or n.\n")
            }
        }
        return false
    }

    /// Writes `text` to a temp file, lets the editor change it, and reads it back (trailing newlines
    /// trimmed). Nil when the file cannot be made or the editor fails.
    private func editInFile(_ text: String) -> String? {
        let directory = Terminal.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/interp-answer-XXXXXX.md").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemps(base, 3)
        }
        guard fd >= 0 else { return nil }
        close(fd)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let initial = text.isEmpty ? "" : text + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(initial.utf8)),
              editFile(path),
              let data = FileManager.default.contents(atPath: path) else { return nil }
        var edited = String(decoding: data, as: UTF8.self)
        while edited.hasSuffix("\n") { edited.removeLast() }
        return edited
    }

    /// Opens `path` in `$VISUAL`, `$EDITOR` or `vi` (run through `/bin/sh`, on this terminal) and
    /// waits for it. Returns whether the editor exited with status 0.
    public static func openInEditor(_ path: String,
                                    environment: [String: String] = Terminal.environment) -> Bool {
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        let result = ShellCommand.run(editor + " \"$1\"", arguments: [path], input: nil)
        return result == .exited(0)
    }
}
