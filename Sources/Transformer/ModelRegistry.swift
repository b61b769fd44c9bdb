// ModelRegistry: resolves a model NAME (bundled) or a path to a .safetensors model file.
import Foundation

/// Finds models: bundled ones by name (files `NAME.safetensors` in the model directories) or any
/// model file by path.
///
/// The default directories are `$INTERP_MODELS` (colon-separated), then the `Models` folder of the
/// Transformer target's resource bundle next to the executable or test bundle.
public struct ModelRegistry: Sendable {
    /// Where bundled models are looked up, in order.
    public var directories: [URL]

    public init(directories: [URL] = ModelRegistry.defaultDirectories) {
        self.directories = directories
    }

    /// `$INTERP_MODELS` entries, then the `Models` folder of the Transformer target's resource bundle
    /// (`<package>_Transformer.resources` on Linux, `.bundle` on macOS) next to the running executable
    /// or test bundle. Found by looking, not through `Bundle.module`, which stops the process when the
    /// bundle is missing (an executable copied elsewhere must still run).
    public static var defaultDirectories: [URL] {
        var dirs: [URL] = []
        if let env = ProcessInfo.processInfo.environment["INTERP_MODELS"] {
            dirs += env.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        }
        var places = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let resources = Bundle.main.resourceURL { places.append(resources) }
        if let executable = Bundle.main.executableURL { places.append(executable.deletingLastPathComponent()) }
        var seen = Set<String>()
        for place in places where seen.insert(place.standardizedFileURL.path).inserted {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: place.path) else { continue }
            for entry in entries.sorted() where entry.hasSuffix("_Transformer.resources") || entry.hasSuffix("_Transformer.bundle") {
                let bundle = place.appendingPathComponent(entry, isDirectory: true)
                dirs.append(bundle.appendingPathComponent("Models", isDirectory: true))
                dirs.append(bundle.appendingPathComponent("Contents/Resources/Models", isDirectory: true))
            }
        }
        if dirs.isEmpty {
            dirs.append(Bundle.main.bundleURL.appendingPathComponent("interp_Transformer.resources/Models", isDirectory: true))
        }
        return dirs
    }

    /// Names of the bundled models, sorted (a name found in several directories is listed once).
    public func list() -> [String] {
        var names = Set<String>()
        for dir in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for f in files where f.hasSuffix(".safetensors") && !f.hasPrefix(".") {
                names.insert(String(f.dropLast(".safetensors".count)))
            }
        }
        return names.sorted()
    }

    /// The file of a bundled model name, or of a path (anything with a `/` or ending in `.safetensors`).
    /// - Throws: `ModelError` "no model named X; bundled models: …" or "no such file".
    public func resolve(_ nameOrPath: String) throws(ModelError) -> URL {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".safetensors") {
            let url = URL(fileURLWithPath: nameOrPath)
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError("\(nameOrPath): no such file") }
            return url
        }
        for dir in directories {
            let url = dir.appendingPathComponent(nameOrPath + ".safetensors")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        let available = list()
        throw ModelError("no model named '\(nameOrPath)'; bundled models: "
                         + (available.isEmpty ? "(none)" : available.joined(separator: ", ")))
    }

    /// Loads a bundled model by name or a model file by path.
    public func load(_ nameOrPath: String) throws(ModelError) -> HookedTransformer {
        try HookedTransformer(contentsOf: resolve(nameOrPath))
    }
}
