//! The `uninews` binary: a thin shell over [`uninews::cli`].

fn main() -> std::process::ExitCode {
    uninews::cli::main()
}
