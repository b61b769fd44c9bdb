// The safetensors format: read and write, validating every header field and byte range.
//
// Layout: an 8-byte little-endian header length N, N bytes of JSON (an object mapping tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} plus an optional "__metadata__" string map), then
// the data section. Offsets are relative to the data section, which tensors must cover exactly:
// no gaps, no overlaps, no trailing bytes.
import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A malformed or unreadable safetensors file: one line naming the file and the problem.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or source label) the error is about.
    public let file: String
    /// What is wrong, one line.
    public let message: String
    /// An error about `file` (a path or a label), with a one-line message.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}

/// The element types this engine reads (F16 and BF16 are widened to F32 on reading) and writes.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f32 = "F32", i32 = "I32", i64 = "I64", f16 = "F16", bf16 = "BF16"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16: return 2
        }
    }
}

/// One tensor of a safetensors file.
public enum SafeTensor: Sendable, Equatable {
    /// Float32 data.
    case float32(Tensor)
    /// Int32 data (token ids) with its shape.
    case int32([Int32], shape: [Int])
    /// Int64 data (token ids) with its shape.
    case int64([Int64], shape: [Int])

    /// The tensor's shape.
    public var shape: [Int] {
        switch self {
        case .float32(let t): return t.shape
        case .int32(_, let shape), .int64(_, let shape): return shape
        }
    }

    /// The element type.
    public var dtype: SafeTensorsDType {
        switch self {
        case .float32: return .f32
        case .int32: return .i32
        case .int64: return .i64
        }
    }
}

/// The contents of a safetensors file: named tensors and string metadata.
public struct SafeTensorsFile: Sendable, Equatable {
    /// Tensors by name.
    public var tensors: [String: SafeTensor]
    /// The `__metadata__` map.
    public var metadata: [String: String]

    /// Largest header accepted, in bytes.
    public static let maxHeaderBytes = 100_000_000

    /// A file with the given tensors and metadata (write it with `write(to:)`).
    public init(tensors: [String: SafeTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates a file. The header is read and checked first (length, JSON, every entry's
    /// dtype, shape and offsets against the file size) before any tensor data is touched; the data
    /// is then memory-mapped, and F32 tensors view the mapping (copied only when written to).
    /// - Throws: `SafeTensorsError` naming the file, for unreadable or malformed files.
    public init(contentsOf url: URL) throws(SafeTensorsError) {
        let label = url.path
        let file = try MappedFile.Reader(path: label)
        guard file.size >= 8 else {
            throw SafeTensorsError(file: label, message: "truncated: \(file.size) bytes, too short for the 8-byte header length")
        }
        let lengthBytes = try file.read(offset: 0, count: 8)
        let n = try SafeTensorsFile.headerLength(lengthBytes, available: file.size - 8, source: label)
        let layout = try SafeTensorsFile.parseHeader(try file.read(offset: 8, count: n), dataLength: file.size - 8 - n, source: label)
        let mapping = try MappedFile(reader: file)
        var tensors: [String: SafeTensor] = [:]
        for e in layout.entries {
            let offset = 8 + n + e.begin
            let raw = UnsafeRawBufferPointer(start: mapping.base + offset, count: e.end - e.begin)
            if e.dtype == .f32 && offset % MemoryLayout<Float>.alignment == 0 && SafeTensorsFile.hostIsLittleEndian {
                let storage = TensorStorage(viewing: raw.baseAddress.map { $0.assumingMemoryBound(to: Float.self) } ?? UnsafePointer(mapping.placeholder),
                                            count: raw.count / 4, owner: mapping)
                tensors[e.name] = .float32(Tensor(uncheckedShape: e.shape, storage: storage))
            } else {
                tensors[e.name] = SafeTensorsFile.decode(e.dtype, e.shape, raw)
            }
        }
        self.tensors = tensors
        self.metadata = layout.metadata
    }

    /// Parses and validates the bytes of a file; `source` names it in errors.
    public init(bytes: [UInt8], source: String) throws(SafeTensorsError) {
        guard bytes.count >= 8 else {
            throw SafeTensorsError(file: source, message: "truncated: \(bytes.count) bytes, too short for the 8-byte header length")
        }
        let n = try SafeTensorsFile.headerLength(Array(bytes[0..<8]), available: bytes.count - 8, source: source)
        let layout = try SafeTensorsFile.parseHeader(Array(bytes[8..<(8 + n)]), dataLength: bytes.count - 8 - n, source: source)
        var tensors: [String: SafeTensor] = [:]
        bytes.withUnsafeBytes { raw in
            for e in layout.entries {
                let source = UnsafeRawBufferPointer(rebasing: raw[(8 + n + e.begin)..<(8 + n + e.end)])
                tensors[e.name] = SafeTensorsFile.decode(e.dtype, e.shape, source)
            }
        }
        self.tensors = tensors
        self.metadata = layout.metadata
    }

    /// True on little-endian hosts, where F32 data can be viewed in place.
    static let hostIsLittleEndian = 1.littleEndian == 1

    /// The header length from the first 8 bytes, checked against the limit and the bytes that follow.
    private static func headerLength(_ bytes: [UInt8], available: Int, source: String) throws(SafeTensorsError) -> Int {
        var headerLength: UInt64 = 0
        for k in 0..<8 { headerLength |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard headerLength <= UInt64(SafeTensorsFile.maxHeaderBytes) else {
            throw SafeTensorsError(file: source, message: "header length \(headerLength) is absurd (limit \(SafeTensorsFile.maxHeaderBytes) bytes)")
        }
        let n = Int(headerLength)
        guard n <= available else {
            throw SafeTensorsError(file: source, message: "truncated: header length \(n) but only \(available) bytes follow")
        }
        return n
    }

    /// One validated tensor entry of a header.
    struct Entry {
        var name: String, dtype: SafeTensorsDType, shape: [Int], begin: Int, end: Int
    }

    /// Parses the JSON header and validates every entry against a data section of `dataLength`
    /// bytes, which the entries must cover exactly: no gaps, no overlaps, no trailing bytes.
    static func parseHeader(_ header: [UInt8], dataLength: Int, source: String) throws(SafeTensorsError)
        -> (entries: [Entry], metadata: [String: String]) {
        func fail(_ message: String) -> SafeTensorsError { SafeTensorsError(file: source, message: message) }
        let json: JSONValue
        do {
            json = try JSONParser.parse(header)
        } catch {
            throw fail("header is not valid JSON (\(error))")
        }
        guard case .object(let members) = json else { throw fail("header is \(json.kind), not a JSON object") }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case .object(let pairs) = value else { throw fail("__metadata__ is \(value.kind), not an object") }
                for (key, v) in pairs {
                    guard case .string(let s) = v else {
                        throw fail("__metadata__ entry '\(key)' is \(v.kind), not a string")
                    }
                    metadata[key] = s
                }
                continue
            }
            let entry = try SafeTensorsFile.parseEntry(name, value, fail)
            guard entry.end <= dataLength else {
                throw fail("tensor '\(name)': data_offsets [\(entry.begin), \(entry.end)] out of range (data section is \(dataLength) bytes)")
            }
            entries.append(Entry(name: name, dtype: entry.dtype, shape: entry.shape, begin: entry.begin, end: entry.end))
        }
        let ordered = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var cursor = 0
        var previous: String?
        for e in ordered {
            if e.begin < cursor, let previous {
                throw fail("tensors '\(previous)' and '\(e.name)' have overlapping data ranges")
            }
            if e.begin > cursor {
                throw fail("gap of \(e.begin - cursor) bytes before tensor '\(e.name)' (data must be contiguous)")
            }
            cursor = e.end
            previous = e.name
        }
        guard cursor == dataLength else {
            throw fail("\(dataLength - cursor) trailing bytes after the last tensor")
        }
        return (entries, metadata)
    }

    /// Validates one header entry: dtype, shape and offsets, and that the byte range fits the shape.
    private static func parseEntry(
        _ name: String, _ value: JSONValue, _ fail: (String) -> SafeTensorsError
    ) throws(SafeTensorsError) -> (dtype: SafeTensorsDType, shape: [Int], begin: Int, end: Int) {
        guard case .object(let fields) = value else { throw fail("tensor '\(name)': entry is \(value.kind), not an object") }
        func field(_ key: String) throws(SafeTensorsError) -> JSONValue {
            guard let v = fields.first(where: { $0.key == key })?.value else {
                throw fail("tensor '\(name)': missing field '\(key)'")
            }
            return v
        }
        func integers(_ key: String) throws(SafeTensorsError) -> [Int] {
            guard case .array(let items) = try field(key) else { throw fail("tensor '\(name)': '\(key)' is not an array") }
            var result: [Int] = []
            for item in items {
                guard case .number(let text) = item else {
                    throw fail("tensor '\(name)': '\(key)' holds \(item.kind), not an integer")
                }
                guard let v = item.integer else {
                    let integral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
                    throw fail("tensor '\(name)': '\(key)' holds \(integral ? "out-of-range" : "non-integer") number \(text)")
                }
                guard v >= 0 else { throw fail("tensor '\(name)': '\(key)' holds negative number \(v)") }
                result.append(v)
            }
            return result
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw fail("tensor '\(name)': 'dtype' is not a string") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "U32", "F64", "U64"]
            if known.contains(dtypeName) {
                throw fail("tensor '\(name)': dtype \(dtypeName) is not supported (F32, F16, BF16, I32, I64)")
            }
            throw fail("tensor '\(name)': unknown dtype '\(dtypeName)'")
        }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2 else { throw fail("tensor '\(name)': data_offsets must hold 2 integers, not \(offsets.count)") }
        guard offsets[0] <= offsets[1] else {
            throw fail("tensor '\(name)': data_offsets [\(offsets[0]), \(offsets[1])] end before they begin")
        }
        var bytes = dtype.byteSize
        for d in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
            guard !overflow else { throw fail("tensor '\(name)': shape \(shape) is too large") }
            bytes = product
        }
        guard bytes == offsets[1] - offsets[0] else {
            throw fail("tensor '\(name)': shape \(shape) of \(dtype.rawValue) needs \(bytes) bytes but data_offsets [\(offsets[0]), \(offsets[1])] span \(offsets[1] - offsets[0])")
        }
        return (dtype, shape, offsets[0], offsets[1])
    }

    /// Copies little-endian bytes (any alignment) into a typed tensor.
    private static func decode(_ dtype: SafeTensorsDType, _ shape: [Int], _ raw: UnsafeRawBufferPointer) -> SafeTensor {
        let count = raw.count / dtype.byteSize
        switch dtype {
        case .f32:
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for k in 0..<count {
                    buffer[k] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
                }
                initialized = count
            }
            TensorAllocations.record(elements: count)
            return .float32(Tensor(uncheckedShape: shape, scalars: values))
        case .f16, .bf16:
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for k in 0..<count {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))
                    buffer[k] = dtype == .f16 ? HalfPrecision.float(fromHalf: bits) : Float(bitPattern: UInt32(bits) << 16)
                }
                initialized = count
            }
            TensorAllocations.record(elements: count)
            return .float32(Tensor(uncheckedShape: shape, scalars: values))
        case .i32:
            return .int32((0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }, shape: shape)
        case .i64:
            return .int64((0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }, shape: shape)
        }
    }
}

/// IEEE 754 binary16 → binary32, exactly (normals, subnormals, ±0, ±inf, NaN payloads).
enum HalfPrecision {
    static func float(fromHalf h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        var mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            guard mantissa != 0 else { return Float(bitPattern: sign) }
            // Subnormal: shift the mantissa up until its leading 1 is the implicit bit.
            var e = 127 - 15 + 1
            while mantissa & 0x400 == 0 { mantissa <<= 1; e -= 1 }
            return Float(bitPattern: sign | UInt32(e) << 23 | (mantissa & 0x3FF) << 13)
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
        }
    }
}

// MARK: - Typed access

extension SafeTensorsFile {
    /// The Float32 tensor `name`; `source` names the file in errors.
    /// - Throws: when the tensor is missing or not F32.
    public func float32(_ name: String, source: String) throws(SafeTensorsError) -> Tensor {
        guard let entry = tensors[name] else { throw SafeTensorsError(file: source, message: "missing tensor '\(name)'") }
        guard case .float32(let t) = entry else {
            throw SafeTensorsError(file: source, message: "tensor '\(name)' is \(entry.dtype.rawValue), expected F32")
        }
        return t
    }

    /// The integer tensor `name` (I32 or I64) as `Int`s with its shape.
    /// - Throws: when the tensor is missing or not an integer type.
    public func integers(_ name: String, source: String) throws(SafeTensorsError) -> (values: [Int], shape: [Int]) {
        guard let entry = tensors[name] else { throw SafeTensorsError(file: source, message: "missing tensor '\(name)'") }
        switch entry {
        case .int32(let v, let shape): return (v.map(Int.init), shape)
        case .int64(let v, let shape): return (v.map(Int.init), shape)
        case .float32: throw SafeTensorsError(file: source, message: "tensor '\(name)' is F32, expected I32 or I64")
        }
    }
}

// MARK: - Writing

extension SafeTensorsFile {
    /// The header bytes (names sorted, padded with spaces to a multiple of 8) and the tensors in
    /// data order.
    private func layout() -> (header: [UInt8], names: [String]) {
        let names = tensors.keys.sorted()
        var header: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.keys.sorted().map { ($0, JSONValue.string(metadata[$0] ?? "")) })))
        }
        var offset = 0
        for name in names {
            guard let t = tensors[name] else { continue }
            let size = t.shape.reduce(1, *) * t.dtype.byteSize
            header.append((name, .object([
                ("dtype", .string(t.dtype.rawValue)),
                ("shape", .array(t.shape.map { .number(String($0)) })),
                ("data_offsets", .array([.number(String(offset)), .number(String(offset + size))])),
            ])))
            offset += size
        }
        var headerBytes = Array(JSONValue.object(header).serialized.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        let n = UInt64(headerBytes.count)
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(k)))) }
        return (out + headerBytes, names)
    }

    /// Calls `body` with the little-endian bytes of each tensor, in data order.
    private func forEachDataChunk(_ names: [String], _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for name in names {
            switch tensors[name] {
            case .float32(let t)?:
                if SafeTensorsFile.hostIsLittleEndian {
                    try t.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
                } else {
                    let le = t.scalars.map { $0.bitPattern.littleEndian }
                    try le.withUnsafeBytes { try body($0) }
                }
            case .int32(let values, _)?:
                try values.map { $0.littleEndian }.withUnsafeBytes { try body($0) }
            case .int64(let values, _)?:
                try values.map { $0.littleEndian }.withUnsafeBytes { try body($0) }
            case nil: break
            }
        }
    }

    /// The file's bytes: header (names sorted, padded with spaces to a multiple of 8) then data in the same order.
    public func serialized() -> [UInt8] {
        let (header, names) = layout()
        var out = header
        forEachDataChunk(names) { out.append(contentsOf: $0) }
        return out
    }

    /// Writes the file atomically (a temporary file in the same directory, then a rename), streaming
    /// the tensors from memory without building the file in memory first.
    /// - Throws: `SafeTensorsError` naming the file when it cannot be written.
    public func write(to url: URL) throws(SafeTensorsError) {
        let (header, names) = layout()
        try AtomicFile.write(to: url) { write throws(SafeTensorsError) in
            var failure: SafeTensorsError?
            func put(_ chunk: UnsafeRawBufferPointer) {
                guard failure == nil else { return }
                do throws(SafeTensorsError) { try write(chunk) } catch { failure = error }
            }
            header.withUnsafeBytes { put($0) }
            forEachDataChunk(names) { put($0) }
            if let failure { throw failure }
        }
    }
}

/// Atomic file replacement: write a sibling temporary file, then rename it over the target.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(SafeTensorsError) {
        try write(to: url) { put throws(SafeTensorsError) in
            var failure: SafeTensorsError?
            data.withUnsafeBytes { chunk in
                do throws(SafeTensorsError) { try put(chunk) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// Writes what `produce` hands to its writer into a temporary file beside `url`, then renames it
    /// over `url`; on any failure the temporary file is removed and `url` is untouched.
    static func write(to url: URL,
                      _ produce: ((UnsafeRawBufferPointer) throws(SafeTensorsError) -> Void) throws(SafeTensorsError) -> Void)
        throws(SafeTensorsError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SafeTensorsError(file: url.path, message: "cannot write (directory missing or not writable)")
        }
        func cleanUp() {
            close(fd)
            unlink(temporary.path)
        }
        let put: (UnsafeRawBufferPointer) throws(SafeTensorsError) -> Void = { chunk throws(SafeTensorsError) in
            var done = 0
            while done < chunk.count {
                guard let base = chunk.baseAddress else { return }
                let n = systemWrite(fd, base + done, chunk.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    let reason = String(cString: strerror(errno))
                    throw SafeTensorsError(file: url.path, message: "cannot write: \(reason)")
                }
                done += n
            }
        }
        do {
            try produce(put)
        } catch {
            cleanUp()
            throw error
        }
        guard fsync(fd) == 0 || errno == EINVAL else {
            let reason = String(cString: strerror(errno))
            cleanUp()
            throw SafeTensorsError(file: url.path, message: "cannot write: \(reason)")
        }
        close(fd)
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw SafeTensorsError(file: url.path, message: "cannot replace the file: \(reason)")
        }
    }
}
