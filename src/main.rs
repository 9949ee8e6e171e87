//! skillbook: the command line. Everything happens in `skillbook::run`.

fn main() -> std::process::ExitCode {
    skillbook::run()
}
