// Read-only memory mappings of files, for loading model weights without copying them.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only and private into memory. Tensors that view it keep it alive; the
/// pages are read from disk when first touched, and never written.
final class MappedFile: @unchecked Sendable {
    /// The first byte of the mapping.
    let base: UnsafeRawPointer
    /// Bytes mapped (the file's size when it was opened).
    let size: Int
    /// A valid address for empty views (a zero-length mapping has no pages).
    let placeholder: UnsafeMutablePointer<Float>

    /// An open file, read with `pread` (for the header) before it is mapped; closed when released.
    final class Reader {
        let path: String
        let fd: Int32
        let size: Int

        /// Opens a regular file for reading.
        /// - Throws: `SafeTensorsError` naming the file: missing, a directory, not a regular file, unreadable.
        init(path: String) throws(SafeTensorsError) {
            self.path = path
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw SafeTensorsError(file: path, message: errno == ENOENT ? "no such file" : "cannot read the file: \(String(cString: strerror(errno)))")
            }
            let kind = info.st_mode & S_IFMT
            guard kind != S_IFDIR else { throw SafeTensorsError(file: path, message: "is a directory, not a file") }
            guard kind == S_IFREG else { throw SafeTensorsError(file: path, message: "is not a regular file") }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw SafeTensorsError(file: path, message: "cannot read the file: \(String(cString: strerror(errno)))") }
            self.fd = fd
            size = Int(info.st_size)
        }

        deinit { close(fd) }

        /// `count` bytes at `offset`.
        /// - Throws: `SafeTensorsError` when they cannot all be read.
        func read(offset: Int, count: Int) throws(SafeTensorsError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw SafeTensorsError(file: path, message: "cannot read the file (\(n == 0 ? "it shrank while being read" : String(cString: strerror(errno))))")
                }
                done += n
            }
            return bytes
        }
    }

    /// Maps the file `reader` opened (the mapping stays valid after the reader closes it).
    /// - Throws: `SafeTensorsError` when the file cannot be mapped.
    init(reader: Reader) throws(SafeTensorsError) {
        placeholder = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        size = reader.size
        guard size > 0 else {
            base = UnsafeRawPointer(placeholder)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, reader.fd, 0), p != MAP_FAILED else {
            placeholder.deallocate()
            throw SafeTensorsError(file: reader.path, message: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if size > 0 { munmap(UnsafeMutableRawPointer(mutating: base), size) }
        placeholder.deallocate()
    }
}
