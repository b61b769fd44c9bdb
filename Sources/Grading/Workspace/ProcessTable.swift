import Foundation

/// The processes of this machine as `/proc` lists them: who owns each and its command line. The
/// unsandboxed process limit counts them; tests search them for what a learner's code left behind.
public enum ProcessTable {
    public struct Entry: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
        /// The arguments joined by spaces ("" for kernel threads and processes already gone).
        public var commandLine: String
    }

    /// Every process visible now (empty where there is no `/proc`).
    public static func entries() -> [Entry] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
            guard let pid = Int32(name) else { return nil }
            var info = stat()
            guard stat("/proc/" + name, &info) == 0 else { return nil }
            let raw = fm.contents(atPath: "/proc/\(name)/cmdline") ?? Data()
            let text = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return Entry(pid: pid, uid: info.st_uid, commandLine: text)
        }
    }

    /// "pid: command line" of every process but this one whose command line contains `text`.
    public static func commandLines(containing text: String) -> [String] {
        let me = getpid()
        return entries().filter { $0.pid != me && $0.commandLine.contains(text) }.map { "\($0.pid): \($0.commandLine)" }
    }
}
