import ArgumentParser
import Course
import Progress
import TerminalUI

struct QuizListCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the quizzes: questions by type, your accuracy and reviews due.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    /// One quiz, as `--json` prints it.
    struct Row: Encodable {
        var lesson: String
        @JSONNullable var number: Int?
        @JSONNullable var title: String?
        var path: String
        var questions: Int
        /// Question counts by type; every type is present (0 when absent).
        var byType: [String: Int]
        /// Graded answers and how many were right (sketches are not graded).
        var answered: Int
        var correct: Int
        /// correct / answered, or null before any answer.
        @JSONNullable var accuracy: Double?
        /// Reviews of this quiz's questions due now.
        var due: Int
    }

    func execute(in session: Session) throws {
        try Self.list(json: json, in: session)
    }

    /// Prints the quizzes as a table, or as JSON.
    static func list(json: Bool, in session: Session) throws {
        let course = try session.course()
        let database = try session.database()
        let now = try session.now()
        let accuracy = Dictionary(try database.accuracyByLesson().map { ($0.key, $0) }) { first, _ in first }
        let lessonOfQuestion = Dictionary(course.questions.map { ($0.id, $0.lesson) }) { first, _ in first }
        var dueByLesson: [String: Int] = [:]
        for card in try database.dueCards(at: now) {
            if let lesson = lessonOfQuestion[card.id] { dueByLesson[lesson, default: 0] += 1 }
        }
        let rows = course.quizzes.map { quiz -> Row in
            let lesson = course.lesson(id: quiz.lesson)
            var byType = Dictionary(uniqueKeysWithValues: QuestionType.allCases.map { ($0.rawValue, 0) })
            for question in quiz.questions { byType[question.type.rawValue, default: 0] += 1 }
            let score = accuracy[quiz.lesson]
            return Row(lesson: quiz.lesson, number: lesson?.number, title: lesson?.title, path: quiz.path,
                       questions: quiz.questions.count, byType: byType, answered: score?.answered ?? 0,
                       correct: score?.correct ?? 0, accuracy: score?.ratio, due: dueByLesson[quiz.lesson] ?? 0)
        }.sorted { ($0.number ?? Int.max, $0.lesson) < ($1.number ?? Int.max, $1.lesson) }

        if json {
            try session.printJSON(rows)
            return
        }
        guard !rows.isEmpty else {
            session.out("This course has no quizzes (quizzes/<lesson-id>.yaml).")
            return
        }
        session.out(table(rows, width: session.width, color: session.color))
        let legend = "one/many: single/multiple choice, text: short answer, ord: ordering; score: your right answers "
            + "so far; due: reviews due now. 'quiz ID' takes a quiz, 'quiz --due' reviews what is due, "
            + "'quiz --interview' is a mock interview."
        for line in wrap(legend, width: session.width) { session.out(session.style(line, .dim)) }
    }

    /// Short column headings for the question types.
    static let typeHeadings: [(QuestionType, String)] = [
        (.single, "one"), (.multiple, "many"), (.truefalse, "t/f"), (.numeric, "num"), (.short, "text"),
        (.order, "ord"), (.sketch, "sketch"),
    ]

    static func table(_ rows: [Row], width: Int, color: Bool) -> String {
        let headers = ["lesson", "qs"] + typeHeadings.map(\.1) + ["score", "due"]
        let body = rows.map { row -> [String] in
            let counts = typeHeadings.map { type, _ in
                let n = row.byType[type.rawValue] ?? 0
                return n == 0 ? "·" : String(n)
            }
            let score = row.accuracy.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
            return [row.lesson, String(row.questions)] + counts + [score, row.due == 0 ? "·" : String(row.due)]
        }
        let alignments: [TextTable.Alignment] = [.left] + Array(repeating: .right, count: headers.count - 1)
        return TextTable(headers: headers, rows: body, alignments: alignments, boxed: false)
            .render(maxWidth: width, color: color)
    }
}
