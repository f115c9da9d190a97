//! The `uninews` binary: argument parsing, logging, progress and exit codes over the
//! `uninews` library. The only crate that writes to the terminal or decides the exit status.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
