//! Printing rows: an aligned table for people, `--json` or `--csv` for programs.

use std::io::Write;

use gatehouse_core::{ExportFormat, Line, write_lines};
use serde::Serialize;

use crate::context::{Failure, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Stdout for a reader that may stop early (`gatehouse-cli users list | head`): once
/// the pipe is closed the rest is dropped quietly, as other command-line tools do,
/// instead of failing the command that produced it.
struct Stdout {
    inner: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    fn new() -> Self {
        Stdout {
            inner: std::io::stdout().lock(),
            closed: false,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Prints `lines` to stdout in `format`.
pub fn print<L: Line>(lines: &[L], format: Format) -> Outcome {
    let mut out = Stdout::new();
    match format {
        Format::Json => write_lines(lines, ExportFormat::Json, &mut out)?,
        Format::Csv => write_lines(lines, ExportFormat::Csv, &mut out)?,
        Format::Table => table(lines, &mut out).map_err(io_failure)?,
    }
    out.flush().map_err(io_failure)
}

/// Prints one JSON value (a report that is not a list of rows).
pub fn print_json(value: &impl Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        message: e.to_string(),
        exit: 1,
    })?;
    print_line(&text)
}

/// Prints one line (a report for people, or a generated password).
pub fn print_line(text: &str) -> Outcome {
    let mut out = Stdout::new();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(io_failure)
}

fn io_failure(e: std::io::Error) -> Failure {
    Failure {
        message: format!("cannot write the output: {e}"),
        exit: 1,
    }
}

/// Columns padded to their widest cell; metadata and hashes are left to `--json`, they
/// rarely fit.
fn table<L: Line>(lines: &[L], out: &mut dyn Write) -> std::io::Result<()> {
    let keep: Vec<usize> = (0..L::HEADER.len())
        .filter(|&i| !matches!(L::HEADER[i], "metaData" | "hash"))
        .collect();
    let rows: Vec<Vec<String>> = lines.iter().map(Line::fields).collect();
    let widths: Vec<usize> = keep
        .iter()
        .map(|&i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .chain([L::HEADER[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut write_row = |cells: Vec<&str>| -> std::io::Result<()> {
        let mut line = String::new();
        for (n, cell) in cells.iter().enumerate() {
            let pad = widths[n].saturating_sub(cell.chars().count());
            line.push_str(cell);
            if n + 1 < cells.len() {
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())
    };
    write_row(keep.iter().map(|&i| L::HEADER[i]).collect())?;
    for row in &rows {
        write_row(
            keep.iter()
                .map(|&i| row.get(i).map_or("", String::as_str))
                .collect(),
        )?;
    }
    Ok(())
}
