// The learner's side of the exchange (see Runner/Wire/Wire.swift): reads calls from fd 3, runs the
// learner's function, writes what it returned to fd 4, until the check program closes the pipe.
// `interp check` compiles this file, Wire.swift and Harness/<Target>/main.swift with the learner's
// module (which may import only Tensor and Transformer) into one program, and runs it in the
// sandbox. Nothing here is secret: the cases and the reference stay in the check program.
import Foundation
import Tensor
import Transformer

/// The arguments of one call, by position, and the model the program was started with.
struct Call {
    let name: String
    let args: [WireValue]

    func value(_ i: Int) throws -> WireValue {
        guard i < args.count else { throw HarnessError("\(name): argument \(i) is missing") }
        return args[i]
    }
    func tensor(_ i: Int) throws -> Tensor {
        guard case .tensor(let t) = try value(i) else { throw HarnessError("\(name): argument \(i) is not a tensor") }
        return t
    }
    func float(_ i: Int) throws -> Float {
        guard case .float(let x) = try value(i) else { throw HarnessError("\(name): argument \(i) is not a number") }
        return x
    }
    func int(_ i: Int) throws -> Int {
        guard case .int(let x) = try value(i) else { throw HarnessError("\(name): argument \(i) is not an integer") }
        return x
    }
    func ints(_ i: Int) throws -> [Int] {
        guard case .ints(let xs) = try value(i) else { throw HarnessError("\(name): argument \(i) is not a list of integers") }
        return xs
    }
    func rows(_ i: Int) throws -> [[Int]] {
        guard case .rows(let rows) = try value(i) else { throw HarnessError("\(name): argument \(i) is not a list of token rows") }
        return rows
    }
    func bool(_ i: Int) throws -> Bool {
        guard case .bool(let b) = try value(i) else { throw HarnessError("\(name): argument \(i) is not a boolean") }
        return b
    }

    /// The model file given as the program's first argument, loaded on first use.
    var model: HookedTransformer {
        get throws { try Harness.model() }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Harness {
    nonisolated(unsafe) private static var loaded: HookedTransformer?

    static func model() throws -> HookedTransformer {
        if let loaded { return loaded }
        guard CommandLine.arguments.count > 1 else { throw HarnessError("the program was started without a model file") }
        let model = try HookedTransformer(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1]))
        loaded = model
        return model
    }

    /// Answers calls until the check program closes the pipe, then exits 0.
    static func serve(_ endpoints: [String: (Call) throws -> WireValue]) -> Never {
        let channel = WireChannel.standard
        while true {
            let message: WireMessage?
            do { message = try channel.receive() } catch {
                FileHandle.standardError.write(Data("harness: \(error)\n".utf8))
                exit(2)
            }
            guard let message else { exit(0) }
            guard case .call(let name, let args) = message else { exit(2) }
            let reply: WireMessage
            if let endpoint = endpoints[name] {
                do { reply = .result(try endpoint(Call(name: name, args: args))) } catch { reply = .failure(String(describing: error)) }
            } else {
                reply = .failure("the program has no function '\(name)'")
            }
            do { try channel.send(reply) } catch { exit(0) }
        }
    }
}
