//! Tests of credit parsing.
use super::*;

fn one(text: &str) -> Credits {
    let mut c = Credits::default();
    c.add_all(credit_line(text).unwrap_or_default());
    c
}

#[test]
fn labelled_lines() {
    assert_eq!(one("编辑：孔史达").editor.as_deref(), Some("孔史达"));
    assert_eq!(one("（撰稿：高巾捷）").author.as_deref(), Some("高巾捷"));
    assert_eq!(one("（编辑  徐云飞）").editor.as_deref(), Some("徐云飞"));
    assert_eq!(
        one("(编辑\u{a0}\u{a0}徐云飞)").editor.as_deref(),
        Some("徐云飞")
    );
    let c = one("撰稿：钱於杰 摄影：叶家炜");
    assert_eq!(c.author.as_deref(), Some("钱於杰"));
    assert_eq!(c.photographer.as_deref(), Some("叶家炜"));
    let c = one("撰稿：解戎、李俊毅、白玉，摄影：严佳雯");
    assert_eq!(c.author.as_deref(), Some("解戎、李俊毅、白玉"));
    assert_eq!(c.photographer.as_deref(), Some("严佳雯"));
    let c = one("（文/党委组织部 图/轻院新闻社）");
    assert_eq!(c.author.as_deref(), Some("党委组织部"));
    assert_eq!(c.photographer.as_deref(), Some("轻院新闻社"));
    assert_eq!(
        one("文章来源：上海复旦大学校友会").source.as_deref(),
        Some("上海复旦大学校友会")
    );
    assert_eq!(one("审核：王五").reviewer.as_deref(), Some("王五"));
    assert_eq!(one("责任编辑：赵六").editor.as_deref(), Some("赵六"));
    assert_eq!(
        one("本文作者：复旦大学中文系学生 王瑞琳").author.as_deref(),
        Some("王瑞琳")
    );
}

#[test]
fn english_bylines() {
    assert_eq!(one("By Todd Bates").author.as_deref(), Some("Todd Bates"));
    assert_eq!(
        one("Photo: Unnati Chauhan").photographer.as_deref(),
        Some("Unnati Chauhan")
    );
    assert!(credit_line("By the end of the year, the lab had grown").is_none());
}

#[test]
fn non_credit_lines_stay_text() {
    assert!(credit_line("联系人：吴老师").is_none());
    assert!(credit_line("图｜如此这般，可获全胜").is_none());
    assert!(credit_line("图片来源：新华社").is_none());
    assert!(credit_line("文件下载请见附件。").is_none());
    assert!(credit_line("编辑部召开会议，部署全年工作。").is_none());
    assert!(credit_line("计算机学院退休工作小组").is_none());
    assert!(credit_line("2023年6月6日").is_none());
}

#[test]
fn empty_label_is_found_but_has_no_value() {
    assert_eq!(
        scan_meta("2020-12-04作者：浏览次数："),
        [(Role::Author, None)]
    );
}

#[test]
fn meta_lines() {
    let mut c = Credits::default();
    c.add_all(scan_meta("2021-03-23作者：研招办浏览次数："));
    assert_eq!(c.author.as_deref(), Some("研招办"));
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
    let (p, credits) = trailing_credits(
        "用更加优异的成绩献礼中国共产党成立一百周年！（文/党委组织部 图/轻院新闻社）",
    )
    .unwrap();
    assert_eq!(p, "用更加优异的成绩献礼中国共产党成立一百周年！");
    let mut c = Credits::default();
    c.add_all(credits);
    assert_eq!(c.author.as_deref(), Some("党委组织部"));
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
