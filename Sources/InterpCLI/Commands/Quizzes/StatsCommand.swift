import ArgumentParser
import Course
import Foundation
import Progress
import TerminalUI

struct StatsCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Accuracy by lesson and tag, reviews due, predicted retention, streak, and charts.",
        discussion: "Days are calendar days in the local time zone (TZ). Predicted retention is the FSRS-6 probability of recall at this moment, averaged over every question you have reviewed.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let now = try session.now()
        let report = try StatsReport.gather(database: try session.database(), course: try session.course(),
                                            scheduler: try SRSSettings.quizScheduler(in: session, at: now), now: now)
        if json {
            try session.printJSON(report)
            return
        }
        session.out(StatsView(width: session.width, color: session.color).render(report))
    }
}

/// `stats` as text and charts.
struct StatsView {
    let width: Int
    let color: Bool

    /// Tags shown in the text view (weakest first); `--json` has them all.
    static let tagLimit = 10

    private func style(_ text: String, _ s: Style) -> String { s.apply(text, enabled: color) }

    func render(_ report: StatsReport) -> String {
        var lines = [style("Your statistics", .bold) + " · " + report.now + " (days in \(report.timeZone))", ""]
        guard report.attempts + report.sketches + report.reviews.cards > 0 else {
            lines.append("No answers yet: take a quiz ('quiz list' shows them, 'quiz why-hard' starts one).")
            return lines.joined(separator: "\n")
        }
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 21, withPad: " ", startingAt: 0) + value)
        }
        row("Streak", Text.plural(report.streakDays, "day"))
        row("Answers", Text.plural(report.attempts, "answer") + ", " + Text.plural(report.sketches, "sketch", "sketches"))
        let r = report.reviews
        var due = "\(r.dueNow) now · \(r.dueToday) today · \(r.dueThisWeek) this week (of \(Text.plural(r.cards, "card")))"
        if let next = r.nextDue.flatMap(ISO8601Timestamp.parse), let now = ISO8601Timestamp.parse(report.now) {
            due += "; next \(QuizTimeText.until(next.timeIntervalSince(now)))"
        }
        row("Reviews due", due)
        if let retention = report.predictedRetention {
            row("Predicted retention", "\(percent(retention)) on average today")
        }

        lines += ["", bars("Accuracy by lesson", report.accuracyByLesson, label: { $0.key })]
        let tags = report.accuracyByTag.sorted { ($0.accuracy ?? 1, $0.key) < ($1.accuracy ?? 1, $1.key) }
        let tagTitle = tags.count > Self.tagLimit
            ? "Accuracy by tag, weakest \(Self.tagLimit) of \(tags.count) (all in --json)" : "Accuracy by tag"
        lines += ["", bars(tagTitle, Array(tags.prefix(Self.tagLimit)), label: { $0.key })]

        let span = report.days.count
        let xs = report.days.indices.map { Double($0 - (span - 1)) }
        let reviews = LineChart(series: [ChartSeries(name: "reviews", values: report.days.map { Double($0.reviews) }, xs: xs)],
                                title: "Reviews per day, last \(span) days", height: 6, xLabel: "days from today")
        lines += ["", reviews.render(width: width, color: color).trimmingNewline]
        let accuracy = report.days.map { $0.accuracy.map { $0 * 100 } ?? .nan }
        let answeredDays = report.days.filter { $0.answered > 0 }
        if answeredDays.count == 1, let day = answeredDays.first {
            lines += ["", style("Accuracy per day", .bold),
                      "  \(day.day): \(day.correct)/\(day.answered) right; the chart starts with a second day of answers."]
        } else if answeredDays.count > 1 {
            let chart = LineChart(series: [ChartSeries(name: "accuracy %", values: accuracy, xs: xs)],
                                  title: "Accuracy per day (%), last \(span) days", height: 6, xLabel: "days from today")
            lines += ["", chart.render(width: width, color: color).trimmingNewline]
        } else {
            lines += ["", style("Accuracy per day: no graded answers in the last \(span) days.", .dim)]
        }
        return lines.joined(separator: "\n")
    }

    private func percent(_ value: Double) -> String {
        value.isFinite ? "\(Int((min(max(value, 0), 1) * 100).rounded())) %" : "–"
    }

    private func bars(_ title: String, _ scores: [StatsReport.Score], label: (StatsReport.Score) -> String) -> String {
        guard !scores.isEmpty else { return style(title, .bold) + "\n" + style("  no graded answers yet", .dim) }
        let chart = BarChart(bars: scores.map { score in
            BarChart.Bar(label(score), score.accuracy ?? 0,
                         valueText: "\(score.correct)/\(score.answered) " + (score.accuracy.map(percent) ?? "–"))
        }, title: title, maxValue: 1)
        return chart.render(width: width, color: color).trimmingNewline
    }
}

private extension String {
    var trimmingNewline: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
