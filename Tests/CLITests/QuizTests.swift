import Course
import Foundation
import Progress
import XCTest

/// `interp quiz LESSON`: scripted sessions through the built binary, checked against the database.
final class QuizTests: XCTestCase {
    static let start = "2026-01-01T09:00:00Z"
    static let noFuzz = ["INTERP_FSRS_FUZZ": "0", "TZ": "UTC"]

    /// The "done when": a scripted REPL session (stdin not a TTY, --now fixed) answers
    /// right and wrong, changes a rating, writes a sketch and rates it; the database then holds the
    /// attempts, the sketch and cards due exactly when FSRS-6 says.
    func testScriptedSessionStoresAttemptsSketchAndPredictedCards() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        let quiz = try XCTUnwrap(course.quiz(forLesson: "why-hard")).questions
        let first3 = Array(quiz.prefix(3))
        let sketchQuestion = try XCTUnwrap(course.quiz(forLesson: "faithfulness")?.questions.first { $0.type == .sketch })

        var script = "quiz why-hard --seed 7 --limit 3\n"
        script += QuizScript.correct(first3[0], seed: 7) + "\n\n"       // right, keep Good
        script += QuizScript.wrong(first3[1], seed: 7) + "\n\n"         // wrong, keep Again
        script += QuizScript.correct(first3[2], seed: 7) + "\nh\n"      // right, change to Hard
        script += "quiz faithfulness --type sketch --limit 1\n"
        let sketchText = "Intervene on the chain: truncate it and insert a mistake.\nThen paraphrase it."
        script += sketchText + "\n.\ne\n"                              // rated Easy
        script += "quiz --due\n"                                        // at the same fixed time
        let result = try runner.run(["--now", Self.start, "--db", runner.databasePath], stdin: script,
                                     environment: Self.noFuzz)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertFalse(result.stdout.hasEscapeCodes)
        XCTAssertFalse(result.stdout.contains("answer›"), "no prompts when stdin is not a terminal")
        XCTAssertTrue(result.stdout.contains("2 of 3 right"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("Nothing due; next review in 1 min.\n"), result.stdout)

        let db = try AppDatabase(path: runner.databasePath)
        let attempts = try db.attempts()
        XCTAssertEqual(attempts.map(\.questionID), first3.map(\.id))
        XCTAssertEqual(attempts.map(\.correct), [true, false, true])
        XCTAssertEqual(attempts.map(\.rating), [.good, .again, .hard])
        XCTAssertEqual(Set(attempts.compactMap(\.sessionID)).count, 1, "one quiz run, one session id")
        let sketches = try db.sketches()
        XCTAssertEqual(sketches.map(\.text), [sketchText])
        XCTAssertEqual(sketches.first?.questionID, sketchQuestion.id)
        XCTAssertEqual(sketches.first?.selfRating, .easy)

        let t0 = try XCTUnwrap(ISO8601DateFormatter().date(from: Self.start))
        // Learning steps 1 min and 10 min: Good → 10 min, Again → 1 min, Hard on the first step →
        // halfway (5.5 min); Easy graduates at once to round(S0(Easy)) = round(8.2956) = 8 days.
        let expectedWaits: [String: TimeInterval] = [
            first3[0].id: 600, first3[1].id: 60, first3[2].id: 330, sketchQuestion.id: 8 * 86_400,
        ]
        let scheduler = try FSRSScheduler(enableFuzz: false)
        for (id, wait) in expectedWaits {
            let card = try XCTUnwrap(db.card(id: id), id)
            let reviewedAt = try XCTUnwrap(card.lastReview)
            XCTAssertEqual(reviewedAt, t0, "answers are stamped with the --now time")
            XCTAssertEqual(card.due.timeIntervalSince(reviewedAt), wait, accuracy: 0.001, id)
            let rating = attempts.first { $0.questionID == id }?.rating ?? sketches.first?.selfRating ?? .good
            let predicted = scheduler.review(SRSCard(id: id, due: reviewedAt), rating: rating, at: reviewedAt).0
            XCTAssertEqual(card.due.timeIntervalSince1970, predicted.due.timeIntervalSince1970, accuracy: 0.001, id)
            XCTAssertEqual(card.state, predicted.state, id)
            XCTAssertEqual(try db.reviews(cardID: id).count, 1, id)
        }

        // Later commands at the same fixed time see every answer.
        let stats = try runner.run(["stats", "--json", "--now", Self.start, "--db", runner.databasePath],
                                   environment: Self.noFuzz)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["attempts"] as? Int, 3)
        XCTAssertEqual(json["sketches"] as? Int, 1)
        XCTAssertEqual(json["streakDays"] as? Int, 1)
    }

    /// A day later `quiz --due` asks the due cards, most overdue first; a second Good graduates a
    /// card to a multi-day interval that equals the unfuzzed FSRS prediction.
    func testDueReviewsNextDayMatchFSRSWithoutFuzz() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        let questions = Array(try XCTUnwrap(course.quiz(forLesson: "why-hard")).questions.prefix(2))
        // q0 right (due +10 min), q1 wrong (due +1 min): q1 is more overdue tomorrow.
        let day1 = QuizScript.correct(questions[0], seed: 3) + "\n\n" + QuizScript.wrong(questions[1], seed: 3) + "\n\n"
        var r = try runner.run(["quiz", "why-hard", "--limit", "2", "--seed", "3", "--now", Self.start,
                                "--db", runner.databasePath], stdin: day1, environment: Self.noFuzz)
        XCTAssertEqual(r.status, 0, r.stderr)

        let tomorrow = "2026-01-02T09:00:00Z"
        let day2 = QuizScript.correct(questions[1], seed: 5) + "\n\n" + QuizScript.correct(questions[0], seed: 5) + "\n\n"
        r = try runner.run(["quiz", "--due", "--seed", "5", "--now", tomorrow, "--db", runner.databasePath],
                           stdin: day2, environment: Self.noFuzz)
        XCTAssertEqual(r.status, 0, r.stderr)
        let headers = r.stdout.split(separator: "\n").filter { $0.hasPrefix("Question ") }
        XCTAssertEqual(headers.count, 2, r.stdout)
        XCTAssertTrue(headers[0].contains(questions[1].id), "most overdue first: \(headers)")
        XCTAssertTrue(headers[1].contains(questions[0].id))

        let db = try AppDatabase(path: runner.databasePath)
        let scheduler = try FSRSScheduler(enableFuzz: false)
        for question in questions {
            let attempts = try db.attempts(questionID: question.id)
            XCTAssertEqual(attempts.count, 2)
            var predicted = SRSCard(id: question.id, due: attempts[0].answeredAt)
            for attempt in attempts { predicted = scheduler.review(predicted, rating: attempt.rating, at: attempt.answeredAt).0 }
            let card = try XCTUnwrap(db.card(id: question.id))
            XCTAssertEqual(card.due.timeIntervalSince1970, predicted.due.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertEqual(card.stability ?? 0, predicted.stability ?? -1, accuracy: 1e-9)
        }
        // q0: Good, then Good a day later from step 1 → graduates to the review state.
        let graduated = try XCTUnwrap(db.card(id: questions[0].id))
        XCTAssertEqual(graduated.state, .review)
        XCTAssertGreaterThanOrEqual(graduated.due.timeIntervalSince(try XCTUnwrap(graduated.lastReview)), 3 * 86_400,
                                    "long enough that fuzz would apply")

        // Nothing is due right after; the message says when the next review is.
        r = try runner.run(["quiz", "--due", "--now", "2026-01-02T09:01:00Z", "--db", runner.databasePath],
                           environment: Self.noFuzz)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("Nothing due; next review in "), r.stdout)
    }

    /// The one-shot form reads answers from the same stdin; a line that is not an answer is asked
    /// again without counting.
    func testOneShotInvalidAnswerIsAskedAgain() throws {
        let runner = try InterpRunner()
        let question = try XCTUnwrap(try QuizScript.course().quiz(forLesson: "why-hard")?.questions.first)
        XCTAssertEqual(question.type, .single)
        let stdin = "z\n" + QuizScript.correct(question, seed: 1) + "\n\n"
        let r = try runner.run(["quiz", "why-hard", "--limit", "1", "--seed", "1", "--now", Self.start,
                                "--db", runner.databasePath], stdin: stdin)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Answer with a letter a–"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Correct."), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 of 1 right (100 %)"), r.stdout)
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).attempts().count, 1)
    }

    /// The same seed shows the same shuffle; the stored response uses the quiz file's letters.
    func testSeedFixesTheShuffleAndResponsesAreStoredInAuthoredLetters() throws {
        let runner = try InterpRunner()
        let question = try XCTUnwrap(try QuizScript.course().quiz(forLesson: "why-hard")?.questions.first)
        guard case let .single(choices, answer) = question.kind else { return XCTFail("expected a single-choice question") }
        let args = ["quiz", "why-hard", "--limit", "1", "--seed", "11", "--now", Self.start, "--db", runner.databasePath]
        let a = try runner.run(args, stdin: QuizScript.correct(question, seed: 11) + "\n\n")
        let b = try runner.run(args, stdin: QuizScript.correct(question, seed: 11) + "\n\n")
        func choiceBlock(_ text: String) -> String {
            text.split(separator: "\n").filter { $0.hasPrefix("  a) ") || $0.hasPrefix("  b) ") }.joined(separator: "\n")
        }
        XCTAssertFalse(choiceBlock(a.stdout).isEmpty)
        XCTAssertEqual(choiceBlock(a.stdout), choiceBlock(b.stdout))
        XCTAssertTrue(a.stdout.contains("Correct.") && b.stdout.contains("Correct."))
        XCTAssertGreaterThan(choices.count, 1)
        let attempts = try AppDatabase(path: runner.databasePath).attempts()
        let authored = QuizScript.letter(answer)
        XCTAssertEqual(attempts.map(\.response), [authored, authored])
    }

    /// `skip` passes a question without saving; `quit` stops early and keeps what was saved.
    func testSkipAndQuit() throws {
        let runner = try InterpRunner()
        let questions = try XCTUnwrap(try QuizScript.course().quiz(forLesson: "why-hard")?.questions)
        let stdin = "skip\n" + QuizScript.correct(questions[1], seed: 2) + "\n\nquit\n"
        let r = try runner.run(["quiz", "why-hard", "--seed", "2", "--now", Self.start, "--db", runner.databasePath],
                               stdin: stdin)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Skipped   1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Stopped at question 3 of \(questions.count)."), r.stdout)
        XCTAssertTrue(r.stdout.contains(questions[0].id + " — skipped"), "skipped questions are listed to review")
        let attempts = try AppDatabase(path: runner.databasePath).attempts()
        XCTAssertEqual(attempts.map(\.questionID), [questions[1].id])
    }

    /// `--type` and `--tag` filter, and bad values are usage errors with a suggestion.
    func testFiltersAndTheirErrors() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        let truefalse = try XCTUnwrap(course.quiz(forLesson: "why-hard")?.questions.filter { $0.type == .truefalse })
        XCTAssertFalse(truefalse.isEmpty)
        let stdin = String(repeating: "skip\n", count: truefalse.count)
        var r = try runner.run(["quiz", "why-hard", "--type", "truefalse", "--now", Self.start], stdin: stdin)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "true or false").count - 1, truefalse.count, r.stdout)

        r = try runner.run(["quiz", "why-hard", "--type", "sketchh"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--type") && r.stderr.contains("'sketch'"), r.stderr)
        r = try runner.run(["quiz", "why-hard", "--tag", "no-such-tag-anywhere"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasPrefix("interp: --tag:"), r.stderr)
        r = try runner.run(["quiz", "why-hard", "--limit", "0"])
        XCTAssertEqual(r.status, 64)
        r = try runner.run(["quiz", "why-hard", "--minutes", "5"])
        XCTAssertEqual(r.status, 64, "--minutes needs --interview")
    }

    /// Without a lesson, `quiz` takes the current one (the REPL's, else the last opened); with none
    /// it says how to name one.
    func testQuizWithoutALessonUsesTheCurrentOne() throws {
        let runner = try InterpRunner()
        let question = try XCTUnwrap(try QuizScript.course().quiz(forLesson: "tools")?.questions.first)
        let none = try runner.run(["quiz", "--db", runner.databasePath])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("name a lesson"), none.stderr)
        let script = "read tools --no-pager\nquiz --limit 1 --seed 1\n" + QuizScript.correct(question, seed: 1) + "\n\n"
        let r = try runner.run(["--now", Self.start, "--db", runner.databasePath], stdin: script)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Question 1 of 1 · \(question.id)"), r.stdout)
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).attempts().map(\.questionID), [question.id])
    }

    func testUnknownLessonIsExit66WithSuggestion() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["quiz", "why-hardd"])
        XCTAssertEqual(r.status, 66)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'why-hard'"), r.stderr)
        let none = try runner.run(["quiz", "welcome"])
        XCTAssertEqual(none.status, 66)
        XCTAssertTrue(none.stderr.contains("has no quiz"), none.stderr)
    }

    /// The rating prompt and the INTERP_FSRS_FUZZ variable are documented in the help.
    func testHelpDocumentsRatingAndFuzz() throws {
        let r = try InterpRunner().run(["help", "quiz"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for phrase in ["Enter to", "a (Again)", "INTERP_FSRS_FUZZ=0", "--interview", "skip", "quit"] {
            XCTAssertTrue(r.stdout.contains(phrase), "help lacks '\(phrase)'")
        }
    }
}

/// Building answers for scripted quiz runs from the course itself.
enum QuizScript {
    static func course() throws -> Course {
        try Course.load(root: InterpRunner.repositoryRoot.path).0
    }

    static func letter(_ index: Int) -> String { String(UnicodeScalar(UInt8(97 + index))) }

    /// A right answer as the learner would type it, given the shuffle of `seed`.
    static func correct(_ question: Question, seed: UInt64) -> String {
        let shown = question.presentation(seed: seed)
        func shownLetter(_ authored: Int) -> String { letter(shown.displayedIndex(authored: authored) ?? 25) }
        switch question.kind {
        case let .single(_, answer): return shownLetter(answer)
        case let .multiple(_, answers): return answers.map(shownLetter).joined(separator: " ")
        case let .truefalse(answer): return answer ? "true" : "false"
        case let .numeric(answer, _, _): return String(answer)
        case let .short(accepted): return accepted[0]
        case let .order(items): return items.indices.map(shownLetter).joined(separator: " ")
        case .sketch: return "A sketch.\n."
        }
    }

    /// A wrong but valid answer.
    static func wrong(_ question: Question, seed: UInt64) -> String {
        let shown = question.presentation(seed: seed)
        switch question.kind {
        case let .single(_, answer):
            let right = shown.displayedIndex(authored: answer) ?? 0
            return letter(right == 0 ? 1 : 0)
        case let .multiple(_, answers):
            let right = Set(answers.compactMap(shown.displayedIndex(authored:)))
            return (0..<shown.entries.count).filter { !right.contains($0) }.map(letter).first ?? letter(0)
        case let .truefalse(answer): return answer ? "false" : "true"
        case let .numeric(answer, tolerance, _): return String(answer + 10 * tolerance + 1000)
        case .short: return "certainly not this"
        case let .order(items):
            // The authored order reversed, in displayed letters.
            return items.indices.reversed().map { letter(shown.displayedIndex(authored: $0) ?? 0) }.joined(separator: " ")
        case .sketch: return "skip"
        }
    }
}
