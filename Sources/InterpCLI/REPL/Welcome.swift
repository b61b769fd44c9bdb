import TerminalUI

/// The screen a learner sees when the REPL starts: where they are and what is next.
enum Welcome {
    static func show(in session: Session) {
        session.out(session.style("interp", .bold + .cyan) + " — a terminal course in LLM interpretability")
        session.out("Type 'help' for commands, 'quit' or Ctrl-D to leave.")
        session.out()
    }
}
