import Foundation
import TerminalUI

/// The read–eval–print loop. On a TTY: welcome screen, prompt, history, completion. With stdin
/// not a TTY: reads commands line by line, no prompts, no colour unless asked (scriptable).
final class REPL {
    let session: Session

    init(session: Session) {
        self.session = session
        if session.isInteractive {
            let history = session.stateDirectory.appendingPathComponent("history").path
            session.input = LineEditor(historyFile: history, completer: Completion(session: session).candidates)
        }
    }

    func run() -> ExitStatus {
        var lastFailure: ExitStatus = .ok
        if session.isInteractive { Welcome.show(in: session) }
        var lineNumber = 0
        while let raw = session.input.readLine(prompt: prompt()) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            session.input.addToHistory(line)
            if line == "quit" || line == "exit" { break }
            let status = execute(line: line, lineNumber: lineNumber)
            if status != .ok { lastFailure = status }
        }
        if session.isInteractive { session.out() }
        return session.isInteractive ? .ok : lastFailure
    }

    /// Runs one line; Ctrl-C during the command cancels it and returns to the prompt.
    func execute(line: String, lineNumber: Int) -> ExitStatus {
        let words: [String]
        do { words = try ShellWords.split(line) } catch {
            session.err("interp: \(error)" + (session.isInteractive ? "" : " (line \(lineNumber))"))
            return .usage
        }
        Interrupt.clear()
        return Interrupt.withCooperativeHandler {
            Dispatcher.execute(words: words, in: session)
        }
    }

    private func prompt() -> String {
        let place = session.currentLessonID.map { "[\($0)]" } ?? ""
        return session.style("interp", .bold + .cyan) + session.style(place, .dim) + "› "
    }
}
