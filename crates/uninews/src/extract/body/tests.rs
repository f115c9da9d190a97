//! Tests of the role pass.
use super::*;
use crate::extract::blocks::walk;
use scraper::{Html, Selector};
use url::Url;

fn run(html: &str, title: &str) -> Assembled {
    let doc = Html::parse_document(&format!("<div id=\"b\">{html}</div>"));
    let body = doc.select(&Selector::parse("#b").unwrap()).next().unwrap();
    let base = Url::parse("https://a.edu.cn/x/page.htm").unwrap();
    assemble(walk(&[body], &base, &[]).blocks, title)
}

fn headings(a: &Assembled) -> Vec<Option<&str>> {
    a.sections.iter().map(|s| s.heading.as_deref()).collect()
}

#[test]
fn headings_from_tags_bold_and_centred_lines() {
    let a = run(
        r#"<p>导语。</p><p style="text-align:center"><strong>加强组织领导,细化工作部署</strong></p><p>正文一。</p>
        <p><strong>参会感想：</strong></p><p>感想。</p><h3>Early results</h3><p>x.</p>
        <p style="text-align:center">｜第二部分 - 总结｜</p><p><b>第一场：3:1胜</b></p><p><b>对阵</b></p><p>赛况。</p>"#,
        "",
    );
    assert_eq!(
        headings(&a),
        [
            None,
            Some("加强组织领导,细化工作部署"),
            Some("参会感想："),
            Some("Early results"),
            Some("｜第二部分 - 总结｜"),
            Some("第一场：3:1胜"),
            Some("对阵"),
        ]
    );
    assert!(
        a.sections[5].paragraphs.is_empty(),
        "consecutive headings each open a section"
    );
}

#[test]
fn lines_that_are_not_headings() {
    let a = run(
        r#"<p><strong>李四，某某大学志愿服务队队长。</strong></p>
        <p><strong>（1）材料提交时间：5月1日—5月3日下午16：00；</strong></p>
        <p>01 起步阶段，稳扎稳打</p><p style="text-align:right"><b>某某学院</b></p>
        <p><strong>制度先行。</strong>正文继续</p><p style="text-align:center">2022年3月9日</p>"#,
        "",
    );
    assert_eq!(headings(&a), [None]);
    assert_eq!(a.sections[0].paragraphs.len(), 6);
}

#[test]
fn captions_after_images() {
    let a = run(
        r#"<p><img src="/1.jpg"></p><p>图｜学院篮球队合影</p>
        <p><img src="/2.jpg"></p><p>很长的一段正文，不是图片说明，因为它既不居中也没有前缀。</p>
        <p><img src="/3.jpg"></p><p style="text-align:center">合影</p><p style="text-align:center">左起：甲、乙</p>
        <p><img src="/4.jpg"> <img src="/5.jpg"></p><p style="text-align:center">交流现场</p>
        <p><img src="/6.jpg"></p><p style="text-align:center"><strong>创新工作方法</strong></p>
        <p><img src="/7.jpg"></p><p><br></p><p style="text-align:center">｜第二阶段｜</p>"#,
        "",
    );
    let caps: Vec<Option<&str>> = a.images.iter().map(|i| i.caption.as_deref()).collect();
    assert_eq!(
        caps,
        [
            Some("图｜学院篮球队合影"),
            None,
            Some("合影 左起：甲、乙"),
            Some("交流现场"),
            Some("交流现场"),
            None,
            None,
        ]
    );
    assert_eq!(
        headings(&a),
        [None, Some("创新工作方法"), Some("｜第二阶段｜")]
    );
    assert_eq!(a.images[5].section, 0);
    assert_eq!(a.images[6].section, 1);
    assert_eq!(
        a.sections[0].paragraphs.len(),
        1,
        "captions are not paragraphs"
    );
}

#[test]
fn a_figure_line_after_an_image_is_its_caption_not_a_photo_credit() {
    let a = run(
        r#"<p><img src="/1.jpg"></p><p style="text-align:center">图：实验室一角</p><p>正文。</p>
        <p>图：王五</p>"#,
        "",
    );
    assert_eq!(a.images[0].caption.as_deref(), Some("图：实验室一角"));
    assert_eq!(a.sections[0].paragraphs, ["正文。"]);
    assert_eq!(
        a.credits.photographer.as_deref(),
        Some("王五"),
        "away from an image, 图：X is a photo credit"
    );
}

#[test]
fn figcaption_goes_to_its_image_and_photo_credit_to_the_photographer() {
    let a = run(
        r#"<figure><img src="/a.jpg" alt=""><figcaption>A prototype of the device.</figcaption><div>Photo: Sam Poe</div></figure><p>Text.</p>"#,
        "",
    );
    assert_eq!(
        a.images[0].caption.as_deref(),
        Some("A prototype of the device.")
    );
    assert_eq!(a.images[0].alt, None);
    assert_eq!(a.credits.photographer.as_deref(), Some("Sam Poe"));
    assert_eq!(a.sections[0].paragraphs, ["Text."]);
}

#[test]
fn credit_lines_leave_the_text() {
    let a = run(
        r#"<p>正文。</p><p style="text-align:right">（撰稿：孙三思）</p><p>更多正文。</p>
        <p>以更好的成绩迎接新学年！（文/校团委 图/学生记者团）</p>
        <p style="text-align:right">(编辑&nbsp;&nbsp;周四海)</p><p>联系人：王老师</p>"#,
        "",
    );
    assert_eq!(
        a.sections[0].paragraphs,
        [
            "正文。",
            "更多正文。",
            "以更好的成绩迎接新学年！",
            "联系人：王老师"
        ]
    );
    assert_eq!(a.credits.author.as_deref(), Some("孙三思"));
    assert_eq!(a.credits.photographer.as_deref(), Some("学生记者团"));
    assert_eq!(a.credits.editor.as_deref(), Some("周四海"));
}

#[test]
fn boilerplate_title_repeats_and_lead_meta() {
    let a = run(
        r#"<p>组织活动上线</p><p>发布时间：2020-04-16 浏览次数：12</p><p>正文。</p><p>分享到：</p>
        <p>上一篇：学校举行工作推进会</p><p>【打印本页】 【关闭窗口】</p>
        <p>附件【名单.docx】已下载次</p>"#,
        "组织活动 上线",
    );
    assert_eq!(a.sections[0].paragraphs, ["正文。"]);
    assert_eq!(a.lead_meta, ["发布时间：2020-04-16 浏览次数：12"]);
}

#[test]
fn table_rows_are_paragraphs_never_headings() {
    let a = run(
        r#"<table><tr><td><strong>序号</strong></td><td><strong>负责人</strong></td></tr><tr><td>1</td><td>张某</td></tr></table>"#,
        "",
    );
    assert_eq!(headings(&a), [None]);
    assert_eq!(a.sections[0].paragraphs, ["序号 | 负责人", "1 | 张某"]);
}

#[test]
fn images_only_body_gets_one_empty_section() {
    let a = run(r#"<p><img src="/a.jpg"></p>"#, "");
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.images[0].section, 0);
}

#[test]
fn a_body_centred_throughout_is_prose_not_captions() {
    let mut html = String::new();
    for i in 0..6 {
        html.push_str(&format!(
            r#"<p><img src="/p{i}.jpg"></p><p style="text-align:center">山间云气缭绕第{i}天</p><p style="text-align:center">楓紅層層美不勝收</p>"#
        ));
    }
    let a = run(&html, "");
    assert!(a.images.iter().all(|i| i.caption.is_none()));
    let paras: usize = a.sections.iter().map(|s| s.paragraphs.len()).sum();
    assert_eq!(paras, 12);
    assert!(headings(&a).iter().all(Option::is_none));
}
