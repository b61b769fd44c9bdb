import Foundation
import XCTest
@testable import Progress

final class DatabaseLocationTests: XCTestCase {
    private func resolve(_ explicit: String?, _ environment: [String: String]) -> String {
        DatabaseLocation.resolve(explicitPath: explicit, environment: environment, homeDirectory: "/home/fallback")
    }

    func testPrecedence() {
        let all = ["INTERP_DB": "/env/db.sqlite", "XDG_DATA_HOME": "/xdg", "HOME": "/home/ada"]
        XCTAssertEqual(resolve("/cli/db.sqlite", all), "/cli/db.sqlite")
        XCTAssertEqual(resolve(nil, all), "/env/db.sqlite")
        XCTAssertEqual(resolve(nil, ["XDG_DATA_HOME": "/xdg/", "HOME": "/home/ada"]), "/xdg/interp/progress.sqlite")
        XCTAssertEqual(resolve(nil, ["HOME": "/home/ada"]), "/home/ada/.local/share/interp/progress.sqlite")
        XCTAssertEqual(resolve(nil, [:]), "/home/fallback/.local/share/interp/progress.sqlite")
    }

    func testEmptyAndRelativeValuesAreIgnored() {
        XCTAssertEqual(resolve("", ["INTERP_DB": "", "XDG_DATA_HOME": "relative", "HOME": "/h"]),
                       "/h/.local/share/interp/progress.sqlite")
    }

    func testTildeAndRelativeExplicitPaths() {
        XCTAssertEqual(resolve("~/p.sqlite", ["HOME": "/home/ada"]), "/home/ada/p.sqlite")
        XCTAssertEqual(resolve(nil, ["INTERP_DB": "~/q.sqlite", "HOME": "/home/ada"]), "/home/ada/q.sqlite")
        XCTAssertEqual(resolve("data/p.sqlite", [:]), "data/p.sqlite")
    }
}
