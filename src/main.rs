//! The `cpts-atlas` command line.

fn main() -> std::process::ExitCode {
    cpts_atlas::cli::main()
}
