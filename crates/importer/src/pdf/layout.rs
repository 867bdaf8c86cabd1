//! A page's content stream to lines of text. Pieces of text are placed by
//! the text and graphics matrices: a new baseline starts a new line, a wide
//! gap on a baseline becomes a space, and a wide gap between lines becomes
//! a blank line, which the plain-text rules read as a paragraph break.

use std::collections::HashMap;

use lopdf::Object;
use lopdf::content::Operation;

use super::fonts::Font;

type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` for PDF's row-vector affine matrices.
fn mul(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(x: f32, y: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

#[derive(Clone)]
struct GraphicsState<'f> {
    ctm: Matrix,
    font: Option<&'f Font<'f>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
}

/// A run of text on one baseline, in device space.
struct Piece {
    text: String,
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
}

/// Save/restore depth kept; deeper nesting only happens in broken files.
const MAX_STACK: usize = 256;

pub(crate) fn page_text<'f>(
    operations: &[Operation],
    fonts: &'f HashMap<Vec<u8>, Font<'f>>,
) -> String {
    let mut state = GraphicsState {
        ctm: IDENTITY,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scale: 1.0,
        leading: 0.0,
    };
    let mut stack = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    let mut pieces = Vec::new();
    for op in operations {
        let f = |i: usize| {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        let matrix = || [f(0), f(1), f(2), f(3), f(4), f(5)];
        match op.operator.as_str() {
            "q" if stack.len() < MAX_STACK => stack.push(state.clone()),
            "Q" => state = stack.pop().unwrap_or(state),
            "cm" => state.ctm = mul(matrix(), state.ctm),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                state.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| fonts.get(name));
                state.size = f(1);
            }
            "Tc" => state.char_spacing = f(0),
            "Tw" => state.word_spacing = f(0),
            "Tz" => state.scale = f(0) / 100.0,
            "TL" => state.leading = f(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    state.leading = -f(1);
                }
                tlm = mul(translate(f(0), f(1)), tlm);
                tm = tlm;
            }
            "Tm" => (tm, tlm) = (matrix(), matrix()),
            "T*" => {
                tlm = mul(translate(0.0, -state.leading), tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    if op.operator == "\"" {
                        state.word_spacing = f(0);
                        state.char_spacing = f(1);
                    }
                    tlm = mul(translate(0.0, -state.leading), tlm);
                    tm = tlm;
                }
                let string = if op.operator == "\"" {
                    op.operands.get(2)
                } else {
                    op.operands.first()
                };
                if let Some(Object::String(bytes, _)) = string {
                    pieces.extend(show(bytes, &state, &mut tm));
                }
            }
            "TJ" => {
                let items = op
                    .operands
                    .first()
                    .and_then(|o| o.as_array().ok())
                    .map_or(&[][..], Vec::as_slice);
                for item in items {
                    match item {
                        Object::String(bytes, _) => pieces.extend(show(bytes, &state, &mut tm)),
                        other => {
                            let adjust = other.as_float().unwrap_or(0.0);
                            tm = mul(
                                translate(-adjust / 1000.0 * state.size * state.scale, 0.0),
                                tm,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    lines_to_text(&lines(pieces))
}

/// Places one string and moves the text matrix past it.
fn show(bytes: &[u8], state: &GraphicsState<'_>, tm: &mut Matrix) -> Option<Piece> {
    let font = state.font?;
    let start = mul(*tm, state.ctm);
    let advance: f32 = font
        .glyphs(bytes)
        .map(|(code, width)| {
            let word = if !font.is_two_byte() && code == 32 {
                state.word_spacing
            } else {
                0.0
            };
            (width / 1000.0 * state.size + state.char_spacing + word) * state.scale
        })
        .sum();
    *tm = mul(translate(advance, 0.0), *tm);
    let end = mul(*tm, state.ctm);
    let size = (state.size * start[2].hypot(start[3])).abs().max(1.0);
    Some(Piece {
        text: font.decode(bytes),
        x: start[4],
        x_end: end[4],
        y: start[5],
        size,
    })
}

struct Line {
    text: String,
    y: f32,
    size: f32,
}

/// Joins pieces on one baseline, in content order.
fn lines(pieces: Vec<Piece>) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut last: Option<Piece> = None;
    for piece in pieces {
        match (&last, lines.last_mut()) {
            (Some(previous), Some(line))
                if (piece.y - previous.y).abs() <= 0.5 * previous.size.max(piece.size) =>
            {
                let gap = piece.x - previous.x_end;
                let spaced = line.text.ends_with(char::is_whitespace)
                    || piece.text.starts_with(char::is_whitespace);
                if !spaced && (gap > 0.15 * piece.size || gap < -piece.size) {
                    line.text.push(' ');
                }
                line.text.push_str(&piece.text);
                line.size = line.size.max(piece.size);
            }
            _ => lines.push(Line {
                text: piece.text.clone(),
                y: piece.y,
                size: piece.size,
            }),
        }
        last = Some(piece);
    }
    lines
}

/// One line of text a line, and a blank line where a paragraph ends: where
/// the font size changes (a heading), or where the gap to the next line is
/// clearly wider than the page's line pitch. The pitch is the lower quartile
/// of the gaps relative to the font size, since on a page of short
/// paragraphs the median gap is the paragraph gap itself.
fn lines_to_text(lines: &[Line]) -> String {
    let relative_gap = |a: &Line, b: &Line| (a.y - b.y) / a.size.max(b.size);
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|pair| relative_gap(&pair[0], &pair[1]))
        .filter(|&gap| gap >= 0.8)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let pitch = gaps.get(gaps.len() / 4).copied().unwrap_or(1.2);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(previous) = i.checked_sub(1).map(|k| &lines[k]) {
            let gap = relative_gap(previous, line);
            let resized = (previous.size - line.size).abs() > 0.15 * previous.size.max(line.size);
            let paragraph = gap < 0.0 || gap > 1.3 * pitch || resized;
            out.push_str(if paragraph { "\n\n" } else { "\n" });
        }
        out.push_str(line.text.trim_end());
    }
    out
}
