//! Tests of credit parsing.
use super::*;

fn one(text: &str) -> Credits {
    let mut c = Credits::default();
    c.add_all(credit_line(text).unwrap_or_default());
    c
}

#[test]
fn labelled_lines() {
    assert_eq!(one("编辑：吴五岳").editor.as_deref(), Some("吴五岳"));
    assert_eq!(one("（撰稿：孙三思）").author.as_deref(), Some("孙三思"));
    assert_eq!(one("（编辑  周四海）").editor.as_deref(), Some("周四海"));
    assert_eq!(
        one("(编辑\u{a0}\u{a0}周四海)").editor.as_deref(),
        Some("周四海")
    );
    let c = one("撰稿：赵一鸣 摄影：钱二白");
    assert_eq!(c.author.as_deref(), Some("赵一鸣"));
    assert_eq!(c.photographer.as_deref(), Some("钱二白"));
    let c = one("撰稿：甲乙、丙丁、戊己，摄影：庚辛");
    assert_eq!(c.author.as_deref(), Some("甲乙、丙丁、戊己"));
    assert_eq!(c.photographer.as_deref(), Some("庚辛"));
    let c = one("（文/校团委 图/学生记者团）");
    assert_eq!(c.author.as_deref(), Some("校团委"));
    assert_eq!(c.photographer.as_deref(), Some("学生记者团"));
    assert_eq!(
        one("文章来源：某某大学校友会").source.as_deref(),
        Some("某某大学校友会")
    );
    assert_eq!(one("审核：王五").reviewer.as_deref(), Some("王五"));
    assert_eq!(one("责任编辑：赵六").editor.as_deref(), Some("赵六"));
    assert_eq!(
        one("本文作者：某某大学中文系学生 郑六一").author.as_deref(),
        Some("郑六一")
    );
}

#[test]
fn english_bylines() {
    assert_eq!(one("By Jane Roe").author.as_deref(), Some("Jane Roe"));
    assert_eq!(
        one("Photo: Sam Poe").photographer.as_deref(),
        Some("Sam Poe")
    );
    assert!(credit_line("By the end of the year, the lab had grown").is_none());
}

#[test]
fn non_credit_lines_stay_text() {
    assert!(credit_line("联系人：王老师").is_none());
    assert!(credit_line("图｜如此这般，可获全胜").is_none());
    assert!(credit_line("图片来源：新华社").is_none());
    assert!(credit_line("文件下载请见附件。").is_none());
    assert!(credit_line("编辑部召开会议，部署全年工作。").is_none());
    assert!(credit_line("校退休教职工工作组").is_none());
    assert!(credit_line("2022年9月1日").is_none());
}

#[test]
fn empty_label_is_found_but_has_no_value() {
    assert_eq!(
        scan_meta("2019-05-06作者：浏览次数："),
        [(Role::Author, None)]
    );
}

#[test]
fn meta_lines() {
    let mut c = Credits::default();
    c.add_all(scan_meta("2018-07-01作者：宣传部浏览次数："));
    assert_eq!(c.author.as_deref(), Some("宣传部"));
    let mut c = Credits::default();
    c.add_all(scan_meta(
        "发布时间：2020-04-16  来源：党委宣传部  作者：张三 浏览次数：12",
    ));
    assert_eq!(c.source.as_deref(), Some("党委宣传部"));
    assert_eq!(c.author.as_deref(), Some("张三"));
    assert!(scan_meta("全文：见附件").is_empty());
}

#[test]
fn trailing_parenthesised_credits_leave_the_paragraph() {
    let (p, credits) =
        trailing_credits("以更好的成绩迎接新学年！（文/校团委 图/学生记者团）").unwrap();
    assert_eq!(p, "以更好的成绩迎接新学年！");
    let mut c = Credits::default();
    c.add_all(credits);
    assert_eq!(c.author.as_deref(), Some("校团委"));
    assert!(trailing_credits("会议在图书馆举行（见附件）").is_none());
    assert!(trailing_credits("学生代表（撰稿人）发言").is_none());
}

#[test]
fn first_value_wins() {
    let mut c = Credits::default();
    c.add(Role::Editor, Some("甲".into()));
    c.add(Role::Editor, Some("乙".into()));
    assert_eq!(c.get(Role::Editor), Some("甲"));
}

#[test]
fn german_and_english_credit_lines() {
    assert_eq!(
        one("Von Anna Beispiel").author.as_deref(),
        Some("Anna Beispiel")
    );
    assert_eq!(
        one("Foto: Max Muster").photographer.as_deref(),
        Some("Max Muster")
    );
    assert_eq!(
        one("Fotos: Lena Roth").photographer.as_deref(),
        Some("Lena Roth")
    );
    assert_eq!(
        one("Bild: Max Muster").photographer.as_deref(),
        Some("Max Muster")
    );
    assert_eq!(
        one("Credit: Jane Roe").photographer.as_deref(),
        Some("Jane Roe")
    );
    let c = one("Text und Fotos: Lena Roth");
    assert_eq!(c.author.as_deref(), Some("Lena Roth"));
    assert_eq!(c.photographer.as_deref(), Some("Lena Roth"));
    // the institution after the photographer's name goes
    assert_eq!(
        one("Photo: Jane Roe/Example University")
            .photographer
            .as_deref(),
        Some("Jane Roe")
    );
    // prose that opens with such a word is no credit
    assert!(credit_line("Von der Idee zur fertigen Maschine vergingen zwei Jahre.").is_none());
    assert!(credit_line("By the end of the year the lab had grown.").is_none());
    assert!(credit_line("Bylaws were changed.").is_none());
}

#[test]
fn traditional_chinese_labels() {
    assert_eq!(one("記者 陳小明").author.as_deref(), Some("陳小明"));
    assert_eq!(one("攝影：林大同").photographer.as_deref(), Some("林大同"));
    assert_eq!(one("責任編輯：王美").editor.as_deref(), Some("王美"));
    assert_eq!(one("撰文：李四").author.as_deref(), Some("李四"));
    assert_eq!(one("文/张三").author.as_deref(), Some("张三"));
}

fn photo(text: &str) -> Option<(String, bool)> {
    photo_credit(text, false).map(|p| (p.name, p.person))
}

#[test]
fn photo_credits_inside_captions() {
    let p = |n: &str| Some((n.to_string(), true));
    assert_eq!(photo("Students in the lab. Photo: Jane Roe"), p("Jane Roe"));
    assert_eq!(
        photo("Students in the lab (Photo by Jane Roe)."),
        p("Jane Roe")
    );
    assert_eq!(
        photo("Das neue Labor. Foto: Max Muster / Universität Bonn"),
        p("Max Muster")
    );
    assert_eq!(
        photo("Der Campus im Winter. Bild: Lena Roth"),
        p("Lena Roth")
    );
    assert_eq!(photo("The quad at dawn. © Jane Roe"), p("Jane Roe"));
    assert_eq!(photo("The quad at dawn (c) Jane Roe"), p("Jane Roe"));
    assert_eq!(photo("The quad. Image: Sam Poe"), p("Sam Poe"));
    assert_eq!(photo("Credit: Sam Poe"), p("Sam Poe"));
    assert_eq!(photo("学生在实验室（摄影：张三）"), p("张三"));
    assert_eq!(photo("学生在实验室 图/李四"), p("李四"));
    assert_eq!(photo("学生在实验室（图片：王五）"), p("王五"));
    // an organisation is kept, but marked as one; a year alone is nothing
    assert_eq!(
        photo("© 2024 Example University. All rights reserved."),
        Some(("Example University".to_string(), false))
    );
    assert_eq!(photo("Campus view. © 2024"), None);
    assert_eq!(
        photo("© Provided by Business Insider Inc Nintendo/Apple"),
        Some(("Business Insider Inc".to_string(), false))
    );
    // captions that only open like a credit are no credit
    assert_eq!(photo("图：学生在实验室"), None);
    assert_eq!(photo("图｜学生在实验室"), None);
    assert_eq!(photo("Image: a view of the campus from the tower"), None);
    assert_eq!(photo("A photo of the team at the finals."), None);
    // a credit element's bare name counts
    assert_eq!(
        photo_credit("Jane Roe", true).map(|p| p.name).as_deref(),
        Some("Jane Roe")
    );
    assert_eq!(photo_credit("Jane Roe", false), None);
}
