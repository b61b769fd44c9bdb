// The check program's end of the exchange with the learner's program (Runner/Wire/Wire.swift),
// and the trivial answerers the proof runs against the same cases.
import ExerciseWire
import Foundation
import Tensor

/// The learner's program stopped answering: it exited, crashed, closed the pipe or sent a frame
/// that does not decode. The check ends; `interp check` says why from the program's exit.
public struct LearnerStopped: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Who answers the questions of a case.
public enum Answerer: Equatable, CustomStringConvertible {
    /// The learner's program, over the pipe.
    case learner
    /// Zero of the expected kind (0, a tensor of zeros), like an untouched stub.
    case zero
    /// The first argument of the expected kind (a hook that changes nothing, `return patched`).
    case input
    /// This number everywhere.
    case constant(Float)

    public init?(_ text: String) {
        switch text {
        case "learner": self = .learner
        case "zero": self = .zero
        case "input": self = .input
        default:
            guard text.hasPrefix("constant:"), let x = Float(text.dropFirst("constant:".count)) else { return nil }
            self = .constant(x)
        }
    }

    public var description: String {
        switch self {
        case .learner: return "learner"
        case .zero: return "zero"
        case .input: return "input"
        case .constant(let x): return "constant:\(x)"
        }
    }
}

/// Calls the learner's functions. Each call names the kind of value it expects back (a template),
/// so that a trivial answerer can answer in that kind without knowing the exercise.
public final class Learner {
    public let answerer: Answerer
    private let channel: WireChannel?

    init(answerer: Answerer, channel: WireChannel?) {
        self.answerer = answerer
        self.channel = channel
    }

    /// Calls `function` with `args`; `returns` is a value of the kind expected back.
    /// - Throws: `CaseFailure` when the learner's function threw or answered in another kind,
    ///   `LearnerStopped` when the program is gone.
    public func call(_ function: String, _ args: [WireValue], returns template: WireValue) throws -> WireValue {
        let answer: WireValue
        switch answerer {
        case .learner:
            guard let channel else { throw LearnerStopped(message: "no learner program") }
            do {
                try channel.send(.call(function, args))
                guard let reply = try channel.receive() else {
                    throw LearnerStopped(message: "your program ended before answering \(function)")
                }
                switch reply {
                case .result(let value): answer = value
                case .failure(let text): throw CaseFailure("\(function) threw: \(text)")
                case .call: throw LearnerStopped(message: "your program sent a call instead of an answer to \(function)")
                }
            } catch let error as WireError {
                throw LearnerStopped(message: "the exchange with your program broke during \(function): \(error)")
            }
        case .zero: answer = Self.fill(template, with: 0)
        case .constant(let x): answer = Self.fill(template, with: x)
        case .input: answer = Self.firstInput(like: template, in: args) ?? Self.fill(template, with: 0)
        }
        guard Self.sameKind(answer, template) else {
            throw CaseFailure("\(function) answered with \(answer.kind), expected \(template.kind)")
        }
        return answer
    }

    /// A call that returns a number.
    public func float(_ function: String, _ args: WireValue...) throws -> Float {
        guard case .float(let x) = try call(function, args, returns: .float(0)) else { return .nan }
        return x
    }

    /// A call that returns a tensor (of `shape`, the shape the reference has: a trivial answerer
    /// answers in it; the learner's answer is compared whatever its shape).
    public func tensor(_ function: String, _ args: WireValue..., shape: [Int]) throws -> Tensor {
        try tensor(function, args, shape: shape)
    }

    public func tensor(_ function: String, _ args: [WireValue], shape: [Int]) throws -> Tensor {
        guard case .tensor(let t) = try call(function, args, returns: .tensor(Tensor.zeros(shape))) else { return Tensor.zeros(shape) }
        return t
    }

    static func fill(_ template: WireValue, with x: Float) -> WireValue {
        switch template {
        case .float: return .float(x)
        case .int: return .int(Int(x))
        case .tensor(let t): return .tensor(Tensor(shape: t.shape, repeating: x))
        case .list(let items): return .list(items.map { fill($0, with: x) })
        case .ints, .rows, .string, .bool: return template
        }
    }

    static func firstInput(like template: WireValue, in args: [WireValue]) -> WireValue? {
        switch template {
        case .float:
            for a in args {
                if case .float = a { return a }
                if case .int(let i) = a { return .float(Float(i)) }
            }
            return nil
        case .tensor(let t):
            return args.first { if case .tensor(let u) = $0 { return u.shape == t.shape } else { return false } }
        case .list(let items):
            return .list(items.map { firstInput(like: $0, in: args) ?? fill($0, with: 0) })
        default:
            return args.first { sameKind($0, template) }
        }
    }

    /// Same case (and, for lists, the same length and kinds); tensors of any shape.
    static func sameKind(_ a: WireValue, _ b: WireValue) -> Bool {
        switch (a, b) {
        case (.float, .float), (.int, .int), (.ints, .ints), (.rows, .rows), (.tensor, .tensor), (.string, .string), (.bool, .bool): return true
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameKind($0, $1) }
        default: return false
        }
    }
}
