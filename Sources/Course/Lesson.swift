/// One lesson: its front matter, its Markdown body and the structure found in the body.
public struct Lesson: Sendable, Hashable, Identifiable {
    /// Lowercase slug, unique in the course (for example `why-hard`).
    public let id: String
    public let title: String
    /// 0 = getting started, 1 = concepts, 2 = hands-on.
    public let track: Int
    /// Estimated reading time.
    public let minutes: Int
    /// Ids of lessons to take first.
    public let prerequisites: [String]
    /// The bundled model the lesson uses, if any.
    public let model: String?
    /// One line describing the lesson, if given.
    public let summary: String?
    /// The `NN` of `Lessons/NN-slug.md`.
    public let number: Int
    /// The file, relative to the course root.
    public let path: String
    /// The Markdown after the front matter.
    public let body: String
    /// The file line where `body` starts; body line `k` (1-based) is file line `bodyStartLine + k - 1`.
    public let bodyStartLine: Int
    /// The H2 headings of the body, in order.
    public let sections: [Section]
    /// The fenced code blocks whose info string is `interp`, in order.
    public let runnableBlocks: [RunnableBlock]
    /// File lines of front-matter fields, for diagnostics.
    let lines: FieldLines

    /// An H2 heading of a lesson.
    public struct Section: Sendable, Hashable {
        public let title: String
        /// 1-based position among the lesson's H2 headings (`section N`).
        public let index: Int
        /// File line of the heading.
        public let line: Int

        public init(title: String, index: Int, line: Int) {
            self.title = title
            self.index = index
            self.line = line
        }
    }

    /// A fenced ```` ```interp ```` block: REPL commands a reader can run, and a test runs.
    public struct RunnableBlock: Sendable, Hashable {
        /// 1-based position among the lesson's runnable blocks.
        public let index: Int
        /// File line of the opening fence.
        public let line: Int
        /// The commands, one per non-blank line; lines starting with `#` are comments and skipped.
        public let commands: [Command]

        /// One command line of a runnable block.
        public struct Command: Sendable, Hashable {
            public let text: String
            /// File line of the command.
            public let line: Int

            public init(text: String, line: Int) {
                self.text = text
                self.line = line
            }
        }

        public init(index: Int, line: Int, commands: [Command]) {
            self.index = index
            self.line = line
            self.commands = commands
        }
    }

    struct FieldLines: Sendable, Hashable {
        var id = 1
        var prerequisites = 1
        var prerequisiteItems: [Int] = []
        var model = 1
    }

    /// Creates a lesson directly (tests, tools); loading a course builds them from files.
    public init(
        id: String, title: String, track: Int, minutes: Int, prerequisites: [String] = [], model: String? = nil,
        summary: String? = nil, number: Int, path: String, body: String = "", bodyStartLine: Int = 1,
        sections: [Section] = [], runnableBlocks: [RunnableBlock] = []
    ) {
        self.init(id: id, title: title, track: track, minutes: minutes, prerequisites: prerequisites, model: model,
                  summary: summary, number: number, path: path, body: body, bodyStartLine: bodyStartLine,
                  sections: sections, runnableBlocks: runnableBlocks, lines: FieldLines())
    }

    init(
        id: String, title: String, track: Int, minutes: Int, prerequisites: [String], model: String?,
        summary: String?, number: Int, path: String, body: String, bodyStartLine: Int,
        sections: [Section], runnableBlocks: [RunnableBlock], lines: FieldLines
    ) {
        self.id = id
        self.title = title
        self.track = track
        self.minutes = minutes
        self.prerequisites = prerequisites
        self.model = model
        self.summary = summary
        self.number = number
        self.path = path
        self.body = body
        self.bodyStartLine = bodyStartLine
        self.sections = sections
        self.runnableBlocks = runnableBlocks
        self.lines = lines
    }

    /// The section with a 1-based index, if it exists.
    public func section(_ index: Int) -> Section? {
        sections.indices.contains(index - 1) ? sections[index - 1] : nil
    }
}
