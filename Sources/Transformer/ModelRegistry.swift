// ModelRegistry: resolves a model NAME (bundled) or a path to a .safetensors model file.
import Foundation

/// Finds models: bundled ones by name (files `NAME.safetensors` in the model directories), models
/// the learner imported (`$XDG_DATA_HOME/interp/models/NAME.safetensors`), GPT-2 by its hub name in
/// the local Hugging Face cache, or any model file or checkpoint directory by path. Nothing is
/// downloaded.
///
/// The default directories are `$INTERP_MODELS` (colon-separated), then the `Models` folder of the
/// Transformer target's resource bundle next to the executable or test bundle.
public struct ModelRegistry: Sendable {
    /// Where bundled models are looked up, in order.
    public var directories: [URL]
    /// The environment the user-model and Hugging Face cache locations come from.
    public var environment: [String: String]

    public init(directories: [URL] = ModelRegistry.defaultDirectories,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directories = directories
        self.environment = environment
    }

    /// The Hugging Face hub names resolved in the local cache, with their repositories there (the
    /// OpenAI GPT-2 checkpoints moved to `openai-community/`; either cache folder is found).
    public static let hubNames: [String: [String]] = [
        "gpt2": ["gpt2", "openai-community/gpt2"],
        "gpt2-medium": ["gpt2-medium", "openai-community/gpt2-medium"],
        "gpt2-large": ["gpt2-large", "openai-community/gpt2-large"],
        "gpt2-xl": ["gpt2-xl", "openai-community/gpt2-xl"],
    ]

    private var home: URL {
        if let h = environment["HOME"], !h.isEmpty { return URL(fileURLWithPath: h) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// Where `model import NAME` puts a model and names find it: `$XDG_DATA_HOME/interp/models`,
    /// else `~/.local/share/interp/models`.
    public var userModelsDirectory: URL {
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".local/share")
        return data.appendingPathComponent("interp/models", isDirectory: true)
    }

    /// The Hugging Face hub cache, as huggingface_hub finds it: `$HF_HUB_CACHE`, else `$HF_HOME/hub`,
    /// else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`.
    public var hubCache: URL {
        if let c = environment["HF_HUB_CACHE"], !c.isEmpty { return URL(fileURLWithPath: c, isDirectory: true) }
        if let h = environment["HF_HOME"], !h.isEmpty { return URL(fileURLWithPath: h).appendingPathComponent("hub", isDirectory: true) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".cache")
        return cache.appendingPathComponent("huggingface/hub", isDirectory: true)
    }

    /// The snapshot directory of a hub name in the cache: the one `refs/main` names, else the most
    /// recent snapshot holding a config.json; nil when none is there.
    public func hubSnapshot(_ name: String) -> URL? {
        let fm = FileManager.default
        for repo in ModelRegistry.hubNames[name] ?? [] {
            let folder = hubCache.appendingPathComponent("models--" + repo.replacingOccurrences(of: "/", with: "--"), isDirectory: true)
            let snapshots = folder.appendingPathComponent("snapshots", isDirectory: true)
            if let ref = try? String(contentsOf: folder.appendingPathComponent("refs/main"), encoding: .utf8) {
                let dir = snapshots.appendingPathComponent(ref.trimmingCharacters(in: .whitespacesAndNewlines), isDirectory: true)
                if fm.fileExists(atPath: dir.appendingPathComponent("config.json").path) { return dir }
            }
            let candidates = ((try? fm.contentsOfDirectory(atPath: snapshots.path)) ?? []).map {
                snapshots.appendingPathComponent($0, isDirectory: true)
            }.filter { fm.fileExists(atPath: $0.appendingPathComponent("config.json").path) }
            let dated = candidates.map { dir -> (URL, Date) in
                let date = (try? fm.attributesOfItem(atPath: dir.path)[.modificationDate] as? Date) ?? nil
                return (dir, date ?? .distantPast)
            }
            if let newest = dated.max(by: { ($0.1, $0.0.path) < ($1.1, $1.0.path) }) { return newest.0 }
        }
        return nil
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

    /// The file (or checkpoint directory) of a name or a path. A path is anything with a `/` or
    /// ending in `.safetensors`; a name is looked up in the bundled directories, then among imported
    /// models, then (gpt2, gpt2-medium, …) in the Hugging Face cache.
    /// - Throws: `ModelError` (missing input) "no model named X; bundled models: …", "no such file",
    ///   or, for a hub name not in the cache, where to put its files.
    public func resolve(_ nameOrPath: String) throws(ModelError) -> URL {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".safetensors") {
            let url = URL(fileURLWithPath: nameOrPath)
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.missing("\(nameOrPath): no such file") }
            return url
        }
        for dir in directories + [userModelsDirectory] {
            let url = dir.appendingPathComponent(nameOrPath + ".safetensors")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        if ModelRegistry.hubNames[nameOrPath] != nil {
            if let snapshot = hubSnapshot(nameOrPath) { return snapshot }
            let repo = ModelRegistry.hubNames[nameOrPath]?.last ?? nameOrPath
            throw ModelError.missing("\(nameOrPath) is not on this machine (interp downloads nothing): put its Hugging Face files "
                                     + "(\(HuggingFaceGPT2.requiredFiles.joined(separator: ", "))) in "
                                     + "\(hubCache.path)/models--\(repo.replacingOccurrences(of: "/", with: "--"))/snapshots/main/, "
                                     + "or pass their directory, or 'model import DIR --out FILE'")
        }
        let available = list()
        throw ModelError.missing("no model named '\(nameOrPath)'; bundled models: "
                                 + (available.isEmpty ? "(none)" : available.joined(separator: ", ")))
    }

    /// True when `name` is a bundled model (not an imported one or a Hugging Face checkpoint).
    public func isBundled(_ name: String) -> Bool {
        directories.contains { FileManager.default.fileExists(atPath: $0.appendingPathComponent(name + ".safetensors").path) }
    }

    /// Loads a bundled model by name or a model file by path.
    public func load(_ nameOrPath: String) throws(ModelError) -> HookedTransformer {
        try HookedTransformer(contentsOf: resolve(nameOrPath))
    }
}
