//! Tables in the body walk: a table whose rows hold two or more cells is a data table,
//! read row by row (non-empty cells joined with ` | `, a cell's blocks joined with a
//! space); a table of one-cell rows is a layout table, read as ordinary blocks.

use super::{Block, BlockKind, Ctx, Walker};
use crate::extract::dom::Align;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Node};

#[derive(Debug)]
pub(super) struct TableFrame {
    pub(super) id: NodeId,
    pub(super) data: bool,
    pub(super) row: Option<Vec<String>>,
    pub(super) cell: Option<Vec<String>>,
    pub(super) saved_target: Option<usize>,
}

/// True when some row of `table` has two or more cells: a data table, read row by row.
/// Tables whose rows hold one cell each are layout tables, read as ordinary blocks.
pub(super) fn is_data_table(table: ElementRef<'_>) -> bool {
    let mut rows: Vec<ElementRef<'_>> = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(child.child_elements().filter(|c| c.value().name() == "tr"))
            }
            _ => {}
        }
    }
    rows.iter().any(|r| {
        r.child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .count()
            >= 2
    })
}

impl Walker<'_> {
    pub(super) fn table_open(&mut self, node: NodeRef<'_, Node>) {
        let data = ElementRef::wrap(node).is_some_and(is_data_table);
        self.tables.push(TableFrame {
            id: node.id(),
            data,
            row: None,
            cell: None,
            saved_target: self.target,
        });
        if data {
            self.target = None;
        }
    }

    pub(super) fn row_open(&mut self) {
        if let Some(f) = self.tables.last_mut().filter(|f| f.data) {
            f.row = Some(Vec::new());
        }
    }

    pub(super) fn cell_open(&mut self) {
        let n = self.tables.len();
        if let Some(f) = self.tables.last_mut().filter(|f| f.data && f.row.is_some()) {
            f.cell = Some(Vec::new());
            self.target = Some(n - 1);
        }
    }

    pub(super) fn cell_close(&mut self) {
        let n = self.tables.len();
        if let Some(f) = self.tables.last_mut().filter(|f| f.data)
            && let Some(parts) = f.cell.take()
        {
            if let Some(row) = f.row.as_mut() {
                row.push(parts.join(" "));
            }
            if self.target == Some(n - 1) {
                self.target = None;
            }
        }
    }

    pub(super) fn row_close(&mut self, ctx: &Ctx) {
        let Some(cells) = self
            .tables
            .last_mut()
            .filter(|f| f.data)
            .and_then(|f| f.row.take())
        else {
            return;
        };
        let text = cells
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" | ");
        if text.is_empty() {
            return;
        }
        match self.tables.last().and_then(|f| f.saved_target) {
            // a row of a table nested in a data cell: its text joins that cell
            Some(t) => {
                if let Some(cell) = self.tables.get_mut(t).and_then(|f| f.cell.as_mut()) {
                    cell.push(text);
                }
            }
            None => self.push_block(Block {
                kind: BlockKind::Row,
                text,
                bold: false,
                align: Align::Start,
                heading: None,
                figcaption: false,
                figure: ctx.figure,
                group: ctx.group,
                image: None,
            }),
        }
    }

    pub(super) fn table_close(&mut self, node: NodeRef<'_, Node>) {
        if self.tables.last().is_some_and(|f| f.id == node.id())
            && let Some(f) = self.tables.pop()
        {
            self.target = f.saved_target;
        }
    }
}
