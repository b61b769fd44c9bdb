@testable import Course
import Foundation
import Tensor
import XCTest

/// A seeded fuzz run over the files interp reads from outside: quiz YAML, lesson front matter,
/// exercise manifests, safetensors headers and token files. Real files from the repository are
/// mutated (byte flips, structural tokens, nesting bursts, control characters, truncation, …) and
/// fed to the library entry points in-process and to the real `interp` binary: nothing may crash,
/// hang, or exit with a status outside 0/1/64/65/66/70/74.
///
/// `INTERP_FUZZ_SECONDS` (default 45) is the time budget and `INTERP_FUZZ_SEED` (default 1) the
/// seed: the same seed gives the same inputs in the same order. A failing input is saved and named.
final class FuzzTests: XCTestCase {
    static let allowedStatuses: Set<Int32> = [0, 1, 64, 65, 66, 70, 74]

    func testMutatedInputsNeverCrashTheLibrariesOrTheBinary() throws {
        let environment = ProcessInfo.processInfo.environment
        let budget = environment["INTERP_FUZZ_SECONDS"].flatMap(Double.init) ?? 45
        var random = FuzzRandom(seed: environment["INTERP_FUZZ_SEED"].flatMap(UInt64.init) ?? 1)
        let corpus = try FuzzCorpus()
        let workspace = try FuzzWorkspace(corpus: corpus)
        defer { workspace.remove() }

        var counts: [String: (library: Int, binary: Int)] = [:]
        let deadline = Date().addingTimeInterval(budget)
        var index = 0
        while Date() < deadline {
            let target = FuzzTarget.allCases[index % FuzzTarget.allCases.count]
            let cycle = index / FuzzTarget.allCases.count
            index += 1
            let seedText = corpus.sample(target, &random)
            let input = FuzzMutator.mutate(seedText, target: target, &random)
            try checkLibraries(target, input)
            counts[target.rawValue, default: (0, 0)].library += 1
            // The binary costs a process or two per input: every third input of each kind.
            if cycle % 3 == 0 {
                for arguments in try workspace.install(input, for: target) {
                    let r = try workspace.runner.run(arguments, stdin: "a\n\nb\n\nquit\n", timeout: 60)
                    if r.timedOut || r.signalled || !Self.allowedStatuses.contains(r.status) {
                        let saved = try workspace.save(input, target: target)
                        XCTFail("\(arguments.joined(separator: " ")): status \(r.status), signalled \(r.signalled), timed out \(r.timedOut); input saved at \(saved)\n\(r.stderr.prefix(2000))")
                        return
                    }
                    counts[target.rawValue, default: (0, 0)].binary += 1
                }
            }
        }
        let libraryTotal = counts.values.reduce(0) { $0 + $1.library }
        let binaryTotal = counts.values.reduce(0) { $0 + $1.binary }
        print("fuzz: \(libraryTotal) inputs through the libraries, \(binaryTotal) runs of the binary in \(Int(budget)) s: "
              + counts.keys.sorted().map { "\($0) \(counts[$0]!.library)/\(counts[$0]!.binary)" }.joined(separator: ", "))
        XCTAssertGreaterThan(binaryTotal, FuzzTarget.allCases.count, "the binary ran on every kind of input")
    }

    /// The library entry points: diagnostics, never a trap; each one line at a real line.
    private func checkLibraries(_ target: FuzzTarget, _ input: [UInt8]) throws {
        let text = String(decoding: input, as: UTF8.self)
        var diagnostics: [Diagnostic] = []
        switch target {
        case .quiz:
            let output = QuizParser.parse(text: text, path: "quizzes/why-hard.yaml", fileLesson: "why-hard")
            diagnostics = output.diagnostics
            for question in output.quiz?.questions ?? [] {
                _ = question.grade("a")
                _ = question.grade("b a", presentation: question.presentation(seed: 3))
            }
        case .frontMatter:
            diagnostics = LessonParser.parse(text: text, path: "Lessons/01-why-hard.md", number: 1).diagnostics
        case .manifest:
            diagnostics = ExerciseParser.parse(text: text, path: "Exercises/induction-heads/manifest.yaml",
                                               directoryName: "induction-heads").diagnostics
        case .safetensors:
            _ = try? SafeTensorsFile(bytes: input, source: "fuzz.safetensors")
        case .tokens:
            if InputLimits.jsonExcess(input) == nil { _ = try? JSONSerialization.jsonObject(with: Data(input)) }
        }
        for diagnostic in diagnostics {
            XCTAssertGreaterThanOrEqual(diagnostic.line, 1, "\(diagnostic)")
            XCTAssertFalse(diagnostic.message.contains("\n"), "\(diagnostic)")
        }
    }
}

/// The kinds of input fuzzed.
enum FuzzTarget: String, CaseIterable {
    case quiz, frontMatter = "front-matter", manifest, safetensors, tokens
}

/// The course's seeded SplitMix64, with the draws the mutator needs.
struct FuzzRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// A number in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The seed files: the repository's own quizzes, lessons, manifests, model and token lists.
struct FuzzCorpus {
    var quizzes: [[UInt8]] = []
    var lessons: [[UInt8]] = []
    var manifests: [[UInt8]] = []
    var model: [UInt8] = []
    var tokenFiles: [[UInt8]] = [Array("[0, 4, 9]".utf8), Array("[[0, 1, 2], [0, 3, 4]]".utf8), Array("[]".utf8),
                                 Array("[[0, 1], [2]]".utf8), Array("{\"tokens\": [1]}".utf8)]

    init() throws {
        let root = InterpRunner.repositoryRoot
        let files = FileManager.default
        func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
        for name in try files.contentsOfDirectory(atPath: root.appendingPathComponent("quizzes").path).sorted() where name.hasSuffix(".yaml") {
            quizzes.append(try read(root.appendingPathComponent("quizzes/\(name)")))
        }
        for name in try files.contentsOfDirectory(atPath: root.appendingPathComponent("Lessons").path).sorted()
        where name.hasSuffix(".md") && name != "README.md" {
            lessons.append(try read(root.appendingPathComponent("Lessons/\(name)")))
        }
        for name in try files.contentsOfDirectory(atPath: root.appendingPathComponent("Exercises").path).sorted() {
            let manifest = root.appendingPathComponent("Exercises/\(name)/manifest.yaml")
            if files.fileExists(atPath: manifest.path) { manifests.append(try read(manifest)) }
        }
        model = try read(root.appendingPathComponent("Sources/Transformer/Models/induction-2l.safetensors"))
    }

    func sample(_ target: FuzzTarget, _ random: inout FuzzRandom) -> [UInt8] {
        switch target {
        case .quiz: return random.pick(quizzes)
        case .frontMatter: return random.pick(lessons)
        case .manifest: return random.pick(manifests)
        case .safetensors: return model
        case .tokens: return random.pick(tokenFiles)
        }
    }
}

/// Mutations that reach the places parsers break: structure, nesting, numbers, encodings.
enum FuzzMutator {
    static let tokens: [String] = [
        "[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "\n", "\r\n", "\t", " ", "#", "&a ", "*a", "!!str ", "|", ">", "'", "\"",
        "---\n", "...\n", "\u{1B}[31m", "\u{0}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{FEFF}", "é", "🙂", "null", "~", "-1", "1e309",
        "nan", ".inf", "99999999999999999999", "0x1F", "true", "type: sketch", "answer: z", "id: ", "F64", "I64", "\"dtype\"",
        "\"shape\"", "\"data_offsets\"", "[0, 18446744073709551615]", "\"__metadata__\"", "\\u0000", "\\ud800",
        "```interp\nlessons\n```\n", "> ", "* ", "1. ", "<!--", "[x](", "![", "$$",
    ]

    static func mutate(_ seed: [UInt8], target: FuzzTarget, _ random: inout FuzzRandom) -> [UInt8] {
        if target == .safetensors { return mutateSafeTensors(seed, &random) }
        var bytes = seed
        for _ in 0...random.below(4) { apply(&bytes, &random, text: true) }
        return bytes
    }

    /// One mutation at a random place.
    static func apply(_ bytes: inout [UInt8], _ random: inout FuzzRandom, text: Bool) {
        let position = random.below(bytes.count + 1)
        switch random.below(10) {
        case 0 where !bytes.isEmpty:  // flip a byte
            bytes[min(position, bytes.count - 1)] ^= UInt8(1 << random.below(8))
        case 1, 2:  // a structural token
            bytes.insert(contentsOf: Array(random.pick(tokens).utf8), at: position)
        case 3:  // a burst of nesting
            let unit = random.pick(["[", "{a: ", "- ", ">", "> - ", "*", "[[", "{\"a\":", "\n  ", "(", "<div>"])
            let count = random.pick([8, 63, 65, 200, 5000, 60_000])
            bytes.insert(contentsOf: Array(String(repeating: unit, count: count).utf8), at: position)
        case 4 where !bytes.isEmpty:  // delete a range
            let end = min(bytes.count, position + 1 + random.below(200))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
        case 5 where !bytes.isEmpty:  // duplicate a range
            let start = min(position, bytes.count - 1)
            let end = min(bytes.count, start + 1 + random.below(2000))
            bytes.insert(contentsOf: bytes[start..<end], at: random.below(bytes.count + 1))
        case 6:  // truncate
            bytes.removeSubrange(min(position, bytes.count)...)
        case 7:  // bytes that are not UTF-8, or a long line
            let junk: [UInt8] = random.below(2) == 0 ? [0xFF, 0xC3, 0x28, 0xE2, 0x82] : Array(repeating: UInt8(ascii: "x"), count: 100_000)
            bytes.insert(contentsOf: junk, at: position)
        case 8:  // indentation staircase (block nesting in YAML)
            let steps = random.pick([10, 70, 300])
            let stairs = (1...steps).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
            bytes.insert(contentsOf: Array(("\n" + stairs + "\n").utf8), at: position)
        default:  // swap two lines
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { return }
            lines.swapAt(random.below(lines.count), random.below(lines.count))
            bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }
    }

    /// A model file with its JSON header mutated (and now and then its length field).
    static func mutateSafeTensors(_ file: [UInt8], _ random: inout FuzzRandom) -> [UInt8] {
        guard file.count >= 8 else { return file }
        let length = Int(file[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        guard length <= file.count - 8 else { return file }
        var header = Array(file[8..<(8 + length)])
        for _ in 0...random.below(3) { apply(&header, &random, text: true) }
        var newLength = UInt64(header.count)
        switch random.below(8) {
        case 0: newLength = UInt64(random.below(Int(newLength) + 64))
        case 1: newLength = UInt64.max - UInt64(random.below(16))
        default: break
        }
        let lengthBytes = (0..<8).map { UInt8(truncatingIfNeeded: newLength >> (8 * UInt64($0))) }
        var data = Array(file[(8 + length)...])
        if random.below(6) == 0 { data.removeSubrange(random.below(data.count + 1)...) }
        return lengthBytes + header + data
    }
}

/// A course and a home for the binary: the repository's lessons and quizzes and two exercises,
/// where each fuzzed file is put in place before its commands run.
struct FuzzWorkspace {
    let root: URL
    let runner: InterpRunner

    init(corpus: FuzzCorpus) throws {
        runner = try InterpRunner()
        root = runner.home.appendingPathComponent("course")
        let source = InterpRunner.repositoryRoot
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Exercises"), withIntermediateDirectories: true)
        for directory in ["Lessons", "quizzes", "Exercises/induction-heads", "Exercises/previous-token-head"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(directory), to: root.appendingPathComponent(directory))
        }
    }

    /// Writes `input` where `target` belongs; returns the commands to run on it.
    func install(_ input: [UInt8], for target: FuzzTarget) throws -> [[String]] {
        let course = ["--course", root.path]
        let data = Data(input)
        switch target {
        case .quiz:
            try data.write(to: root.appendingPathComponent("quizzes/why-hard.yaml"))
            return [["quiz", "why-hard", "--seed", "1"] + course, ["course", "check"] + course]
        case .frontMatter:
            try data.write(to: root.appendingPathComponent("Lessons/01-why-hard.md"))
            return [["read", "why-hard"] + course, ["lessons"] + course]
        case .manifest:
            try data.write(to: root.appendingPathComponent("Exercises/induction-heads/manifest.yaml"))
            return [["ex", "show", "induction-heads"] + course, ["course", "check"] + course]
        case .safetensors:
            let file = runner.home.appendingPathComponent("fuzz.safetensors")
            try data.write(to: file)
            return [["model", "info", file.path], ["predict", file.path, "--text", "cat dog cat", "--top", "3"]]
        case .tokens:
            let file = runner.home.appendingPathComponent("tokens.json")
            try data.write(to: file)
            return [["cache", "induction-2l", "--tokens-file", file.path, "--out", runner.home.appendingPathComponent("cache.safetensors").path]]
        }
    }

    /// Keeps a failing input for a rerun; returns its path.
    func save(_ input: [UInt8], target: FuzzTarget) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("interp-fuzz-\(target.rawValue)-\(UUID().uuidString)")
        try Data(input).write(to: url)
        return url.path
    }

    func remove() { try? FileManager.default.removeItem(at: runner.home) }
}
