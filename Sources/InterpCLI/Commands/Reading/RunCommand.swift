import ArgumentParser
import Course
import TerminalUI

struct RunCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the Nth experiment block of the current lesson (no N: the next one).",
        discussion: "Lessons number their runnable blocks [run 1], [run 2], …; each line of a block is a command.")

    @Argument(help: "Block number, as labelled in the lesson.") var number: Int?
    @Flag(help: "Run every block of the lesson in order.") var all = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        guard let lesson = try session.currentLesson(in: course) else {
            throw CLIError.usage("no current lesson: open one with 'read ID' first")
        }
        let blocks = lesson.runnableBlocks
        guard !blocks.isEmpty else { throw CLIError.usage("'\(lesson.id)' has no runnable blocks") }
        session.currentLessonID = lesson.id
        let chosen: [Lesson.RunnableBlock]
        if all {
            chosen = blocks
        } else {
            let n = number ?? session.nextRunBlock
            guard let block = blocks.first(where: { $0.index == n }) else {
                if number == nil { throw CLIError.usage("every block of '\(lesson.id)' has run; 'run N' runs one again (1–\(blocks.count))") }
                throw CLIError.usage("'\(lesson.id)' has blocks 1–\(blocks.count); there is no block \(n)")
            }
            chosen = [block]
        }
        // A lesson about a model the learner brings (GPT-2) skips its blocks, in one line, when the
        // model is not on this machine.
        if let model = lesson.model, !session.registry.isBundled(model) {
            do { _ = try session.registry.resolve(model) } catch {
                session.out(session.style("skipped: these blocks need \(model). \(error.message)", .dim))
                return
            }
        }
        // Skipping ahead: replay the `set` lines of the blocks before, so the block finds the
        // model and text the lesson set up for it.
        if let first = chosen.first, first.index > session.nextRunBlock {
            for earlier in blocks where earlier.index < first.index {
                for command in earlier.commands where command.text.hasPrefix("set ") {
                    session.out(session.style("› " + TerminalText.line(command.text) + "   (from block \(earlier.index))", .dim))
                    if let words = try? ShellWords.split(command.text) { _ = Dispatcher.execute(words: words, in: session) }
                }
            }
        }
        // Still no model: the lesson's own model stands in.
        if session.currentModel == nil, let model = lesson.model {
            session.currentModel = model
            session.out(session.style("(model: \(TerminalText.line(model)), the lesson's model; 'set model NAME' changes it)", .dim))
        }
        var failures = 0
        for block in chosen {
            for command in block.commands {
                session.out(session.style("› " + TerminalText.line(command.text), .bold + .cyan))
                let words: [String]
                do { words = try ShellWords.split(command.text) } catch {
                    throw CLIError.data("\(lesson.path):\(command.line): \(error)")
                }
                if Dispatcher.execute(words: words, in: session) != .ok { failures += 1 }
            }
            session.nextRunBlock = block.index + 1
        }
        if failures > 0 { throw CLIError.failed("\(Text.plural(failures, "command")) of the block failed") }
    }
}
