import ArgumentParser
import Course
import Foundation
import Progress
import TerminalUI

struct QuizCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Take a lesson's quiz, your due reviews (--due) or a timed mock interview (--interview).",
        discussion: """
            Answering: type the letter(s) you see (choices are shuffled on every attempt), true or \
            false, a number, or a word or phrase. 'skip' passes a question; 'quit' (or Ctrl-D) ends \
            the quiz, and every answer given so far is kept. Sketch questions take several lines: \
            finish with a line holding only '.', or type ':e' to write in $EDITOR (on a terminal).

            Rating: every answer schedules the question's next review (FSRS-6). A right answer is \
            rated Good, a wrong one Again. After the feedback one more line is read: press Enter to \
            keep the rating, or type a (Again), h (Hard), g (Good), e (Easy) or 1-4 to change it. \
            You rate your own sketches (a/h/g/e or 1-4; 'skip' leaves one unrated).

            Scripts: when stdin is not a terminal, no prompts are printed and answers are read line \
            by line from stdin, so an answer line is followed by a rating line (empty keeps it):
              printf 'b\\n\\n' | interp quiz why-hard --limit 1 --seed 1

            Environment: INTERP_FSRS_FUZZ=0 turns off the random spread FSRS adds to review \
            intervals of 3 days or more, so due dates can be predicted exactly. --now (or \
            INTERP_NOW) fixes the time answers are saved with; durations and the interview clock \
            still run in real time. The desired retention comes from your profile (0.9 by default).
            """,
        subcommands: [QuizListCommand.self])

    @Argument(help: "Lesson id or number (default: the current lesson).") var lesson: String?
    @Flag(help: "Review the questions due now, across all lessons, most overdue first.") var due = false
    @Flag(help: "A timed mock interview: conceptual and sketch questions drawn from every lesson.") var interview = false
    @Option(help: ArgumentHelp("Length of the interview (default: 20).", valueName: "minutes")) var minutes: Double?
    @Option(help: ArgumentHelp("Only questions of this type: single, multiple, truefalse, numeric, short, order, sketch.", valueName: "type"))
    var type: String?
    @Option(help: ArgumentHelp("Only questions with this tag.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Ask at most N questions.", valueName: "N")) var limit: Int?
    @Option(help: ArgumentHelp("Seed for shuffling choices and drawing interview questions (default: random).", valueName: "N"))
    var seed: UInt64?
    @Flag(help: "With 'quiz list': print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    /// ArgumentParser gives a parent's positional argument precedence over its subcommands, so
    /// `quiz list` arrives here as the lesson "list" and is handed on.
    private var isList: Bool { lesson == QuizListCommand.configuration.commandName }

    func validate() throws {
        if isList {
            guard !due, !interview, minutes == nil, type == nil, tag == nil, limit == nil, seed == nil else {
                throw ValidationError("'quiz list' takes only --json")
            }
            return
        }
        if json { throw ValidationError("--json goes with 'quiz list'") }
        if due && interview { throw ValidationError("--due and --interview cannot be used together") }
        if interview, lesson != nil { throw ValidationError("--interview draws from every lesson: leave out the lesson") }
        if let minutes {
            guard interview else { throw ValidationError("--minutes only goes with --interview") }
            guard minutes.isFinite, minutes > 0, minutes <= 600 else {
                throw ValidationError("--minutes must be more than 0 and at most 600 (got \(minutes))")
            }
        }
    }

    func execute(in session: Session) throws {
        if isList { return try QuizListCommand.list(json: json, in: session) }
        let course = try session.course()
        let filters = try QuizFilters(type: type, tag: tag, limit: limit, course: course)
        let start = try session.now()
        let database = try session.database()
        let seed = self.seed ?? UInt64.random(in: .min ... .max)

        let questions: [Question]
        let mode: QuizRunner.Mode
        if interview {
            let seconds = (minutes ?? 20) * 60
            questions = QuizSelection.interview(course: course, filters: filters, seed: seed)
            guard !questions.isEmpty else {
                throw CLIError.noInput("no interview questions match \(filters.described)")
            }
            mode = .interview(seconds: seconds)
        } else if due {
            let target = try lesson.map { try LessonLookup.find($0, in: course) }
            questions = QuizSelection.due(cards: try database.dueCards(at: start), course: course, lesson: target,
                                          filters: filters)
            guard !questions.isEmpty else {
                session.out(try nothingDue(database: database, now: start, course: course, lesson: target,
                                           filters: filters))
                return
            }
            mode = .due
        } else {
            let target: Lesson
            if let lesson {
                target = try LessonLookup.find(lesson, in: course)
            } else if let current = try session.currentLesson(in: course) {
                target = current
            } else {
                throw CLIError.usage("name a lesson (quiz why-hard), or use --due or --interview (see 'quiz list')")
            }
            questions = try QuizSelection.lesson(target, course: course, filters: filters)
            mode = .lesson(target)
        }

        let scheduler = try SRSSettings.quizScheduler(in: session, at: start)
        let clock = QuizClock(wallClock: { (try? session.now()) ?? start })
        let runner = QuizRunner(session: session, questions: questions, mode: mode, seed: seed,
                                scheduler: scheduler, database: database, clock: clock)
        let summary = try runner.run()
        session.out()
        session.out(summary.render(width: session.width, color: session.color, now: clock.now()))
    }

    /// "nothing due; next review in 3 h", or how to get started.
    private func nothingDue(database: AppDatabase, now: Date, course: Course, lesson: Lesson?,
                            filters: QuizFilters) throws -> String {
        let cards = try database.cards()
        guard !cards.isEmpty else {
            return "Nothing due: no reviews are scheduled yet. Take a quiz first ('quiz list' shows them)."
        }
        let scope = [lesson.map { "in \($0.id)" }, filters.described.isEmpty ? nil : "for " + filters.described]
            .compactMap { $0 }.joined(separator: " ")
        let nothing = scope.isEmpty ? "Nothing due" : "Nothing due \(scope)"
        let later = cards.filter { $0.due > now }.sorted { $0.due < $1.due }
        let dueByID = Dictionary(later.map { ($0.id, $0.due) }) { first, _ in first }
        let first = QuizSelection.due(cards: later, course: course, lesson: lesson,
                                      filters: QuizFilters.unlimited(filters)).first
        guard let next = first.flatMap({ dueByID[$0.id] }) else { return nothing + "." }
        return nothing + "; next review \(QuizTimeText.until(next.timeIntervalSince(now)))."
    }
}
