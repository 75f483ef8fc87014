//! The `notelint` binary: all of it lives in the library's [`notelint::cli`].

fn main() -> std::process::ExitCode {
    notelint::cli::main()
}
