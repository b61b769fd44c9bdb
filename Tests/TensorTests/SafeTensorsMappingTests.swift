// Model files are memory-mapped: F32 tensors view the file until written, and a file's header is
// checked in full before its data is touched.
import Foundation
import Tensor
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class SafeTensorsMappingTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mmap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testLoadedTensorsViewTheMappingUntilWritten() throws {
        let url = dir.appendingPathComponent("a.safetensors")
        let original = Tensor(shape: [2, 3], repeating: 0) + (try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        try SafeTensorsFile(tensors: ["a": .float32(original), "ids": .int64([7, 8], shape: [2])]).write(to: url)
        var a = try SafeTensorsFile(contentsOf: url).float32("a", source: "t")
        XCTAssertTrue(a.isMapped, "an aligned F32 tensor views the mapping")
        XCTAssertEqual(a, original)
        let view = a
        a[1, 2] = 60                                                   // the first write copies
        XCTAssertFalse(a.isMapped)
        XCTAssertTrue(view.isMapped)
        XCTAssertEqual(view[1, 2], 6, "the view is untouched")
        XCTAssertEqual(try SafeTensorsFile(contentsOf: url).float32("a", source: "t")[1, 2], 6, "the file is untouched")
        XCTAssertEqual(try SafeTensorsFile(contentsOf: url).integers("ids", source: "t").values, [7, 8])
    }

    func testUnalignedDataIsCopiedAndCorrect() throws {
        // A header whose length is ≡ 2 (mod 4) starts the data section off the Float alignment.
        let header = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        var bytes = [UInt8](repeating: 0, count: 8)
        var text = Array(header.utf8)
        while (8 + text.count) % 4 != 2 { text.append(0x20) }
        for k in 0..<8 { bytes[k] = UInt8(truncatingIfNeeded: UInt64(text.count) >> (8 * UInt64(k))) }
        bytes += text
        for v in [Float(1.5), -2.25] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        let url = dir.appendingPathComponent("odd.safetensors")
        try Data(bytes).write(to: url)
        let x = try SafeTensorsFile(contentsOf: url).float32("x", source: "t")
        XCTAssertFalse(x.isMapped)
        XCTAssertEqual(x.scalars, [1.5, -2.25])
    }

    /// A 2 GB file (sparse: no disk space) whose header is bad is refused without reading its data.
    func testHugeFileWithBadHeaderIsRefusedWithoutReadingIt() throws {
        for (label, header) in [("not JSON", "{oops"), ("offsets past the end", #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,17]}}"#),
                                ("gap", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#)] {
            let url = dir.appendingPathComponent("huge.safetensors")
            var bytes = [UInt8](repeating: 0, count: 8)
            let text = Array(header.utf8)
            for k in 0..<8 { bytes[k] = UInt8(truncatingIfNeeded: UInt64(text.count) >> (8 * UInt64(k))) }
            try Data(bytes + text).write(to: url)
            XCTAssertEqual(truncate(url.path, 2 << 30), 0)
            let before = Self.residentKilobytes()
            let start = Date()
            XCTAssertThrowsError(try SafeTensorsFile(contentsOf: url), label) { error in
                XCTAssertTrue("\(error)".hasPrefix(url.path + ": "), "\(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, "\(label): refused at once")
            XCTAssertLessThan(Self.residentKilobytes() - before, 16 * 1024, "\(label): the data was not read")
            try FileManager.default.removeItem(at: url)
        }
    }

    func testNotARegularFileIsRefused() throws {
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "/dev/null"))) {
            XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)")
        }
    }

    /// Current resident set size of this process, from /proc/self/statm.
    static func residentKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}
