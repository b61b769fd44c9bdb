/// Read-only questions the CLI asks about a course: lessons by track, what to read next, lookup
/// by id or number, and "did you mean" for unknown ids.
public struct CourseSummary: Sendable {
    /// Lessons ordered by number.
    public let lessons: [Lesson]

    /// Summarises a loaded course.
    public init(course: Course) {
        self.lessons = course.lessons
    }

    /// Summarises lessons given directly; they are sorted by number.
    public init(lessons: [Lesson]) {
        self.lessons = lessons.sorted { ($0.number, $0.path) < ($1.number, $1.path) }
    }

    /// A track's display name: 0 "Getting started", 1 "Concepts", 2 "Hands-on".
    public static func trackTitle(_ track: Int) -> String {
        switch track {
        case 0: return "Getting started"
        case 1: return "Concepts"
        case 2: return "Hands-on"
        default: return "Track \(track)"
        }
    }

    /// The tracks that have lessons, ascending, each with its lessons in number order.
    public var tracks: [(track: Int, lessons: [Lesson])] {
        Dictionary(grouping: lessons, by: \.track)
            .sorted { $0.key < $1.key }
            .map { (track: $0.key, lessons: $0.value) }
    }

    /// The first lesson, in number order, that is not completed and whose prerequisites are all
    /// completed; nil when there is none.
    public func nextLesson(completed: Set<String>) -> Lesson? {
        lessons.first { !completed.contains($0.id) && $0.prerequisites.allSatisfy(completed.contains) }
    }

    /// The lesson named by an id (`why-hard`) or a number (`3` or `03` = `Lessons/03-…`).
    public func lesson(matching reference: String) -> Lesson? {
        let reference = reference.trimmingWhitespace
        if let lesson = lessons.first(where: { $0.id == reference }) { return lesson }
        guard !reference.isEmpty, reference.allSatisfy(\.isASCIIDigitCharacter), reference.count <= 3,
              let number = Int(reference) else { return nil }
        return lessons.first { $0.number == number }
    }

    /// The lesson before or after `id` in number order (for `prev` / `next`), or nil at either end.
    public func neighbour(of id: String, offset: Int) -> Lesson? {
        guard let index = lessons.firstIndex(where: { $0.id == id }), lessons.indices.contains(index + offset) else {
            return nil
        }
        return lessons[index + offset]
    }

    /// The closest lesson id to an unknown one, for "did you mean".
    public func suggestion(for unknown: String) -> String? {
        Suggestion.closest(to: unknown, among: lessons.map(\.id))
    }
}
