//! The `cpts-atlas` command line.

/// mimalloc: loading and diagnosing allocate many small strings and vectors (malloc and free
/// were ~15 % of a one-commune diagnosis' profile with glibc's allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cpts_atlas::cli::main()
}
