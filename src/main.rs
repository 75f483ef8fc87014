//! The `notelint` binary: all of it lives in the library's [`notelint::cli`].

// Parsing allocates many small, short-lived strings and vectors on every thread; mimalloc
// serves them with thread-local free lists, where the system allocator spent about a sixth of
// all instructions (callgrind, `check` on generated posts). Built without transparent huge
// pages (`no_thp`): with them, each thread's arena took whole 2 MiB pages and peak memory
// tripled.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    notelint::cli::main()
}
