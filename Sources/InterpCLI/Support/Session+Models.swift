import Foundation
import Transformer

/// A model a command works on: the name the learner used, its file, and the loaded transformer.
struct LoadedModel {
    var name: String
    var url: URL
    var model: HookedTransformer
}

extension Session {
    /// The model named (a bundled name or a path), else the one `set model` chose. Loaded once per
    /// session; a file changed on disk since is loaded again.
    func model(_ name: String?) throws -> LoadedModel {
        guard let name = name ?? currentModel else {
            throw CLIError.usage("no model: pass one (see 'model list') or 'set model NAME'")
        }
        let url: URL
        do { url = try registry.resolve(name) } catch { throw CLIError.noInput(error.message) }
        let stamp = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? nil
        if let cached = loadedModels[url.path], cached.stamp == stamp { return cached.model }
        let model: HookedTransformer
        do { model = try HookedTransformer(contentsOf: url) } catch {
            throw error.isMissingInput ? CLIError.noInput(error.message) : CLIError.data(error.message)
        }
        let loaded = LoadedModel(name: name, url: url, model: model)
        loadedModels[url.path] = (stamp, loaded)
        return loaded
    }

    /// The text given, else the one `set text` chose.
    func text(_ given: String?) throws -> String {
        guard let t = given ?? currentText else {
            throw CLIError.usage("no text: pass --text \"...\" or 'set text \"...\"'")
        }
        return t
    }
}

extension ModelError: ExitStatusProviding {
    var exitStatus: ExitStatus { isMissingInput ? .noInput : .dataError }
}
