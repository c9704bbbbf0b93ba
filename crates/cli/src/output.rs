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

/// Prints `lines` to stdout in `format`.
pub fn print<L: Line>(lines: &[L], format: Format) -> Outcome {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => write_lines(lines, ExportFormat::Json, &mut out)?,
        Format::Csv => write_lines(lines, ExportFormat::Csv, &mut out)?,
        Format::Table => table(lines, &mut out).map_err(io_failure)?,
    }
    Ok(())
}

/// Prints one JSON value (a report that is not a list of rows).
pub fn print_json(value: &impl Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        message: e.to_string(),
        exit: 1,
    })?;
    println!("{text}");
    Ok(())
}

fn io_failure(e: std::io::Error) -> Failure {
    Failure {
        message: format!("cannot write the output: {e}"),
        exit: 1,
    }
}

/// Columns padded to their widest cell; metadata is left to `--json`, it rarely fits.
fn table<L: Line>(lines: &[L], out: &mut dyn Write) -> std::io::Result<()> {
    let keep: Vec<usize> = (0..L::HEADER.len())
        .filter(|&i| L::HEADER[i] != "metaData")
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
