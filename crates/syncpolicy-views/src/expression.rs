//! Readable layout of a long declarative-provisioning expression: calls whose text is long
//! are broken after the opening parenthesis and after each top-level comma, arguments indented
//! one level per call. String literals and `[attribute]` references are never broken. Short
//! expressions are kept on one line; the text itself is never changed, only whitespace added
//! between tokens.

/// Expressions up to this many characters stay on one line, as do calls of at most this many.
const WIDTH: usize = 72;

/// The expression laid out on several lines when it is long.
pub fn layout(expr: &str) -> String {
    let expr = expr.trim();
    if expr.chars().count() <= WIDTH || expr.contains('\n') {
        return expr.to_owned();
    }
    let chars: Vec<char> = expr.chars().collect();
    let close = matching_parens(&chars);
    let mut out = String::with_capacity(expr.len() * 2);
    // Depth of each call that was broken; unbroken calls are `None`.
    let mut stack: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_string = false;
    let mut in_attr = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '"' {
                in_string = false;
            }
        } else if in_attr {
            out.push(c);
            if c == ']' {
                in_attr = false;
            }
        } else {
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '[' => {
                    in_attr = true;
                    out.push(c);
                }
                '(' => {
                    let long = close[i].is_some_and(|j| j - i > WIDTH / 2);
                    out.push(c);
                    stack.push(long);
                    if long {
                        depth += 1;
                        newline(&mut out, depth);
                        skip_spaces(&chars, &mut i);
                    }
                }
                ')' => {
                    if stack.pop() == Some(true) {
                        depth = depth.saturating_sub(1);
                        trim_trailing(&mut out);
                        newline(&mut out, depth);
                    }
                    out.push(c);
                }
                ',' if stack.last() == Some(&true) => {
                    trim_trailing(&mut out);
                    out.push(c);
                    newline(&mut out, depth);
                    skip_spaces(&chars, &mut i);
                }
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out
}

/// For each `(` outside strings and attribute references, the index of its `)`.
fn matching_parens(chars: &[char]) -> Vec<Option<usize>> {
    let mut close = vec![None; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    let (mut in_string, mut in_attr) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' if !in_attr => in_string = !in_string,
            '[' if !in_string => in_attr = true,
            ']' if !in_string => in_attr = false,
            '(' if !in_string && !in_attr => open.push(i),
            ')' if !in_string && !in_attr => {
                if let Some(o) = open.pop() {
                    close[o] = Some(i);
                }
            }
            _ => {}
        }
    }
    close
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn trim_trailing(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Moves `i` past the spaces that follow it (the caller's loop then steps once more).
fn skip_spaces(chars: &[char], i: &mut usize) {
    while chars.get(*i + 1) == Some(&' ') {
        *i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::layout;

    #[test]
    fn short_expressions_stay_on_one_line() {
        assert_eq!(layout(" Trim([mail]) "), "Trim([mail])");
    }

    #[test]
    fn long_calls_break_at_top_level_commas_only() {
        let e = "IIF(IsPresent([userPrincipalName]), [userPrincipalName], IIF(IsPresent([sAMAccountName]), ([sAMAccountName] & \"@\" & %Domain.FQDN%), Error(\"AccountName, is not present\")))";
        let got = layout(e);
        assert!(got.lines().count() > 3, "{got}");
        assert!(
            got.contains("Error(\"AccountName, is not present\")"),
            "{got}"
        );
        // Only whitespace was added.
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squash(&got), squash(e));
        assert!(
            got.starts_with("IIF(\n    IsPresent([userPrincipalName]),\n"),
            "{got}"
        );
    }
}
