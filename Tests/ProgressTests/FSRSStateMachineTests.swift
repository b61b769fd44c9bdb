import Foundation
import XCTest
@testable import Progress

/// Learning, review and relearning transitions. Reference rows: py-fsrs 6.3.2 through
/// scripts/fsrs_reference.py (reviewed goldens); the event offsets are the script's.
final class FSRSStateMachineTests: XCTestCase {
    func testNewCardRatedOnce() throws {
        let scheduler = try unfuzzedScheduler()
        let reference: [Rating: ReferenceRow] = [
            .again: (.learning, 0, 0.212000, 6.413300, 60),      // back to step 0: 1 min
            .hard: (.learning, 0, 1.293100, 5.112171, 330),      // between the two steps: 5.5 min
            .good: (.learning, 1, 2.306500, 2.118104, 600),      // next step: 10 min
            .easy: (.review, nil, 8.295600, 1.000000, 691_200),  // graduates: 8 days
        ]
        for rating in Rating.allCases {
            let expected = try XCTUnwrap(reference[rating])
            assertMatches(reviewAtOffsets(scheduler, [(0, rating)]), [expected])
        }
    }

    func testObjectiveAnswersMapToGoodOrAgain() {
        XCTAssertEqual(Rating.forAnswer(correct: true), .good)
        XCTAssertEqual(Rating.forAnswer(correct: false), .again)
        XCTAssertEqual(Rating.allCases.map(\.name), ["Again", "Hard", "Good", "Easy"])
    }

    func testNewCardCountsRepsButNoLapse() throws {
        let (card, record) = try unfuzzedScheduler().review(SRSCard(id: "q", due: scenarioStart),
                                                            rating: .again, at: scenarioStart)
        XCTAssertEqual(card.reps, 1)
        XCTAssertEqual(card.lapses, 0)
        XCTAssertEqual(card.lastReview, scenarioStart)
        XCTAssertNil(record.elapsedDays)
        XCTAssertEqual(record.cardID, "q")
        XCTAssertEqual(record.rating, .again)
    }

    func testLearningLapseAndRelearningScenario() throws {
        let events: [(TimeInterval, Rating)] = [
            (0, .hard), (330, .again), (400, .good), (1000, .hard), (1700, .good),  // learning
            (12_500, .good),                                                         // same day
            (1_740_500, .hard),                                                      // 20 days on
            (5_628_500, .again), (5_629_400, .hard), (5_630_100, .again), (5_630_700, .good),
            (5_817_900, .easy), (40_377_900, .good),                                 // 400 days late
            (40_377_901, .again), (40_550_701, .good),                               // relearn late
        ]
        let reference: [ReferenceRow] = [
            (.learning, 0, 1.293100, 5.112171, 330),
            (.learning, 0, 0.451403, 8.378632, 60),
            (.learning, 1, 0.499783, 8.365482, 600),
            (.learning, 1, 0.499783, 8.900159, 600),
            (.review, nil, 0.549653, 8.886487, 86_400),
            (.review, nil, 0.600728, 8.872829, 86_400),
            (.review, nil, 2.751205, 9.236960, 259_200),
            (.relearning, 0, 0.964345, 9.734422, 600),
            (.relearning, 0, 0.964345, 9.808925, 900),
            (.relearning, 0, 0.343200, 9.922423, 600),
            (.review, nil, 0.386897, 9.907729, 86_400),
            (.review, nil, 1.671824, 9.862125, 172_800),
            (.review, nil, 8.180754, 9.847492, 691_200),
            (.relearning, 0, 2.529351, 9.935100, 600),
            (.review, nil, 3.575860, 9.920393, 345_600),
        ]
        let results = reviewAtOffsets(try unfuzzedScheduler(), events)
        assertMatches(results, reference)
        // Two lapses: Again in the review state at events 8 and 14; Again in relearning is not one.
        XCTAssertEqual(results.map { $0.0.lapses }, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2])
        XCTAssertEqual(results.last?.0.reps, events.count)
        XCTAssertEqual(results[6].1.elapsedDays, 20)
    }

    func testSingleLearningStep() throws {
        let events: [(TimeInterval, Rating)] = [
            (0, .hard), (900, .hard), (1800, .again), (2400, .good), (261_600, .again), (262_500, .hard),
        ]
        let reference: [ReferenceRow] = [
            (.learning, 0, 1.293100, 5.112171, 900),  // Hard on a single step: 1.5 × 10 min
            (.learning, 0, 1.293100, 6.740460, 900),
            (.learning, 0, 0.451403, 8.913840, 600),
            (.review, nil, 0.499783, 8.900154, 86_400),
            (.relearning, 0, 0.222912, 9.623717, 600),
            (.relearning, 0, 0.222912, 9.735434, 900),
        ]
        assertMatches(reviewAtOffsets(try unfuzzedScheduler(learningSteps: [600]), events), reference)
    }

    func testNoStepsKeepsCardsInReview() throws {
        let events: [(TimeInterval, Rating)] = [(0, .again), (86_400, .again), (259_200, .good), (259_260, .hard)]
        let reference: [ReferenceRow] = [
            (.review, nil, 0.212000, 6.413300, 86_400),
            (.review, nil, 0.100886, 8.806304, 86_400),
            (.review, nil, 0.827715, 8.792727, 86_400),
            (.review, nil, 0.827715, 9.183784, 86_400),
        ]
        let scheduler = try unfuzzedScheduler(learningSteps: [], relearningSteps: [])
        let results = reviewAtOffsets(scheduler, events)
        assertMatches(results, reference)
        XCTAssertEqual(results.map { $0.0.lapses }, [0, 1, 1, 1])
    }

    func testCardBeyondItsStepsGraduatesOnRecall() throws {
        // A card left at step 3 by a scheduler with more steps graduates on Hard, restarts on Again.
        let card = SRSCard(id: "q", state: .learning, step: 3, stability: 2, difficulty: 5,
                           due: scenarioStart, lastReview: scenarioStart.addingTimeInterval(-600),
                           reps: 3, lapses: 0)
        let scheduler = try unfuzzedScheduler()
        XCTAssertEqual(scheduler.review(card, rating: .hard, at: scenarioStart).0.state, .review)
        let again = scheduler.review(card, rating: .again, at: scenarioStart).0
        XCTAssertEqual(again.state, .learning)
        XCTAssertEqual(again.step, 0)
    }

    func testReviewCardWithoutMemoryStateDoesNotCrash() throws {
        // A damaged row (review state, no stability) starts a fresh memory state instead.
        let card = SRSCard(id: "q", state: .review, step: nil, stability: nil, difficulty: nil,
                           due: scenarioStart, lastReview: nil, reps: 0, lapses: 0)
        let (next, _) = try unfuzzedScheduler().review(card, rating: .good, at: scenarioStart)
        XCTAssertEqual(next.stability ?? 0, FSRSParameters.defaults[2], accuracy: 1e-12)
        XCTAssertEqual(next.state, .review)
    }
}
