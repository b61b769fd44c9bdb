// The exchange between a check program and the learner's program (two processes, two pipes).
//
// Both sides read frames from fd 3 and write frames to fd 4. A frame is a 4-byte little-endian
// length and that many bytes of one message:
//   call     'C'  name:string  count:u32  value…     checker → learner: call a function
//   result   'R'  value                              learner → checker: what it returned
//   failure  'E'  text:string                        learner → checker: it threw this error
// A value is a tag byte and its payload (integers little-endian):
//   1 float f32 · 2 int i64 · 3 ints u32 count + i64… · 4 rows u32 count + ints… ·
//   5 tensor u32 rank + i64 dims + f32 scalars · 6 string u32 length + UTF-8 · 7 bool u8 · 8 list u32 count + value…
// The learner's side is untrusted: the decoder checks every length against the bytes left.
//
// This file is compiled twice: into ExerciseKit (the checker) and into the learner's program.
#if canImport(Glibc)
import Glibc
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { Glibc.read(fd, p, n) }
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#else
import Darwin
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { Darwin.read(fd, p, n) }
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif
import Tensor

/// A value that crosses the pipe.
public enum WireValue: Equatable, Sendable {
    case float(Float)
    case int(Int)
    case ints([Int])
    case rows([[Int]])
    case tensor(Tensor)
    case string(String)
    case bool(Bool)
    case list([WireValue])

    /// What kind of value this is, in words ("a number", "a tensor [3, 4]").
    public var kind: String {
        switch self {
        case .float: return "a number"
        case .int: return "an integer"
        case .ints: return "a list of integers"
        case .rows: return "a list of token rows"
        case .tensor(let t): return "a tensor \(t.shape)"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .list(let items): return "a list of \(items.count) values"
        }
    }
}

/// One message of the exchange.
public enum WireMessage: Equatable, Sendable {
    case call(String, [WireValue])
    case result(WireValue)
    case failure(String)
}

/// A frame that does not decode (truncated, too large, an unknown tag).
public struct WireError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum Wire {
    /// The largest frame either side accepts (a tensor of 64 M floats).
    public static let maxFrame = 256 << 20

    public static func encode(_ message: WireMessage) -> [UInt8] {
        var out: [UInt8] = []
        switch message {
        case .call(let name, let args):
            out.append(UInt8(ascii: "C"))
            putString(name, &out)
            putCount(args.count, &out)
            for a in args { put(a, &out) }
        case .result(let value):
            out.append(UInt8(ascii: "R"))
            put(value, &out)
        case .failure(let text):
            out.append(UInt8(ascii: "E"))
            putString(text, &out)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> WireMessage {
        var reader = Reader(bytes: bytes)
        let message: WireMessage
        switch try reader.byte() {
        case UInt8(ascii: "C"):
            let name = try reader.string()
            let count = try reader.count(minimumBytesEach: 1)
            var args: [WireValue] = []
            for _ in 0..<count { args.append(try reader.value(depth: 0)) }
            message = .call(name, args)
        case UInt8(ascii: "R"): message = .result(try reader.value(depth: 0))
        case UInt8(ascii: "E"): message = .failure(try reader.string())
        case let tag: throw WireError("unknown message tag \(tag)")
        }
        guard reader.offset == bytes.count else { throw WireError("\(bytes.count - reader.offset) bytes after the message") }
        return message
    }

    private static func put(_ value: WireValue, _ out: inout [UInt8]) {
        switch value {
        case .float(let x): out.append(1); putU32(x.bitPattern, &out)
        case .int(let x): out.append(2); putI64(x, &out)
        case .ints(let xs): out.append(3); putInts(xs, &out)
        case .rows(let rows): out.append(4); putCount(rows.count, &out); for r in rows { putInts(r, &out) }
        case .tensor(let t):
            out.append(5)
            putCount(t.shape.count, &out)
            for d in t.shape { putI64(d, &out) }
            out.reserveCapacity(out.count + 4 * t.scalars.count)
            for x in t.scalars { putU32(x.bitPattern, &out) }
        case .string(let s): out.append(6); putString(s, &out)
        case .bool(let b): out.append(7); out.append(b ? 1 : 0)
        case .list(let items): out.append(8); putCount(items.count, &out); for i in items { put(i, &out) }
        }
    }

    private static func putU32(_ x: UInt32, _ out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: x >> (8 * UInt32(i)))) }
    }
    private static func putCount(_ n: Int, _ out: inout [UInt8]) { putU32(UInt32(truncatingIfNeeded: n), &out) }
    private static func putI64(_ x: Int, _ out: inout [UInt8]) {
        let u = UInt64(bitPattern: Int64(x))
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: u >> (8 * UInt64(i)))) }
    }
    private static func putInts(_ xs: [Int], _ out: inout [UInt8]) { putCount(xs.count, &out); for x in xs { putI64(x, &out) } }
    private static func putString(_ s: String, _ out: inout [UInt8]) { let u = Array(s.utf8); putCount(u.count, &out); out += u }

    /// Reads one message from untrusted bytes: every count is checked against what is left.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws(WireError) -> UInt8 {
            guard offset < bytes.count else { throw WireError("the message ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }
        mutating func u32() throws(WireError) -> UInt32 {
            guard bytes.count - offset >= 4 else { throw WireError("the message ends early") }
            var x: UInt32 = 0
            for i in 0..<4 { x |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            return x
        }
        mutating func i64() throws(WireError) -> Int {
            guard bytes.count - offset >= 8 else { throw WireError("the message ends early") }
            var x: UInt64 = 0
            for i in 0..<8 { x |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return Int(Int64(bitPattern: x))
        }
        /// A count of items of at least `minimumBytesEach` bytes each, no more than the bytes left allow.
        mutating func count(minimumBytesEach: Int) throws(WireError) -> Int {
            let n = Int(try u32())
            guard n <= (bytes.count - offset) / max(1, minimumBytesEach) else { throw WireError("a count of \(n) is larger than the message") }
            return n
        }
        mutating func ints() throws(WireError) -> [Int] {
            let n = try count(minimumBytesEach: 8)
            var xs: [Int] = []
            xs.reserveCapacity(n)
            for _ in 0..<n { xs.append(try i64()) }
            return xs
        }
        mutating func string() throws(WireError) -> String {
            let n = try count(minimumBytesEach: 1)
            defer { offset += n }
            return String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
        }
        mutating func value(depth: Int) throws(WireError) -> WireValue {
            guard depth < 16 else { throw WireError("values nested deeper than 16") }
            switch try byte() {
            case 1: return .float(Float(bitPattern: try u32()))
            case 2: return .int(try i64())
            case 3: return .ints(try ints())
            case 4:
                let n = try count(minimumBytesEach: 4)
                var rows: [[Int]] = []
                for _ in 0..<n { rows.append(try ints()) }
                return .rows(rows)
            case 5:
                let rank = try count(minimumBytesEach: 8)
                guard rank <= 8 else { throw WireError("a tensor of rank \(rank)") }
                var shape: [Int] = []
                for _ in 0..<rank { shape.append(try i64()) }
                var elements = 1
                for d in shape {
                    let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                    guard d >= 0, !overflow, product <= (bytes.count - offset) / 4 else { throw WireError("a tensor of shape \(shape) is larger than the message") }
                    elements = product
                }
                var scalars = [Float]()
                scalars.reserveCapacity(elements)
                for _ in 0..<elements { scalars.append(Float(bitPattern: try u32())) }
                do { return .tensor(try Tensor(shape: shape, scalars: scalars)) } catch { throw WireError("\(error)") }
            case 6: return .string(try string())
            case 7: return .bool(try byte() != 0)
            case 8:
                let n = try count(minimumBytesEach: 1)
                var items: [WireValue] = []
                for _ in 0..<n { items.append(try value(depth: depth + 1)) }
                return .list(items)
            case let tag: throw WireError("unknown value tag \(tag)")
            }
        }
    }
}

/// Frames over a pair of file descriptors (blocking reads and writes).
public struct WireChannel: Sendable {
    public let input: Int32
    public let output: Int32

    /// Both sides: read fd 3, write fd 4.
    public static let standard = WireChannel(input: 3, output: 4)

    public init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// Writes one message. - Throws: `WireError` when the other side has gone (a closed pipe).
    public func send(_ message: WireMessage) throws(WireError) {
        let payload = Wire.encode(message)
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + 4)
        let n = UInt32(truncatingIfNeeded: payload.count)
        for i in 0..<4 { frame.append(UInt8(truncatingIfNeeded: n >> (8 * UInt32(i)))) }
        frame += payload
        var sent = 0
        while sent < frame.count {
            let w = frame.withUnsafeBytes { systemWrite(output, $0.baseAddress! + sent, frame.count - sent) }
            if w < 0 && errno == EINTR { continue }
            guard w > 0 else { throw WireError("the other side closed the pipe") }
            sent += w
        }
    }

    /// Reads one message; nil at end of file (the other side exited or closed its end).
    /// - Throws: `WireError` for a frame that is cut short, too large or does not decode.
    public func receive() throws(WireError) -> WireMessage? {
        guard let header = try read(4, endOK: true) else { return nil }
        var n = 0
        for i in 0..<4 { n |= Int(header[i]) << (8 * i) }
        guard n <= Wire.maxFrame else { throw WireError("a frame of \(n) bytes (at most \(Wire.maxFrame))") }
        guard let payload = try read(n, endOK: false) else { return nil }
        return try Wire.decode(payload)
    }

    private func read(_ count: Int, endOK: Bool) throws(WireError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let r = buffer.withUnsafeMutableBytes { systemRead(input, $0.baseAddress! + got, count - got) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 {
                if got == 0 && endOK { return nil }
                throw WireError("the pipe closed in the middle of a frame")
            }
            got += r
        }
        return buffer
    }
}
