//! The generated wiki as a Hugo site too: settings and templates beside
//! twn's, reading the same `content/` (and, with `--enableGitInfo`, the same
//! git history). The templates show what twn's default theme shows where
//! Hugo can do it without plug-ins: header with sections and a search form,
//! title, "last updated" stamp, table of contents, the front matter as a
//! list of facts, the text, and section indexes listing every page with its
//! date, status and type. Hugo writes into `public-hugo/`, so the two
//! outputs never mix.

use std::path::Path;

const SETTINGS: &str = r##"baseURL = "http://localhost/"
languageCode = "nl"
title = "Benchmark"
publishDir = "public-hugo"
disableKinds = ["taxonomy", "term"]
enableGitInfo = false

# twn's home page, content/index.md, would make all of content/ one page
# bundle in Hugo; Hugo's home page comes from index.html instead.
[[module.mounts]]
source = "content"
target = "content"
files = ["! index.md"]

[markup.goldmark.renderer]
unsafe = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"##;

const BASE: &str = r##"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip-link" href="#inhoud">Naar de inhoud</a>
<header class="site-header">
  <a class="site-title" href="/">{{ site.Title }}</a>
  <nav aria-label="Hoofdmenu"><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
  <form class="site-search" action="/zoeken/" role="search"><label for="zoekvak">Zoeken</label><input id="zoekvak" name="q" type="search"></form>
</header>
<main id="inhoud">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><p>{{ site.Title }}</p></footer>
</body>
</html>
"##;

const SINGLE: &str = r##"{{ define "main" }}
<article class="page">
  <header class="page-header">
    <p class="kind">{{ .Section }}</p>
    <h1>{{ .Title }}</h1>
    <p class="updated">Laatst bijgewerkt <time datetime="{{ .Lastmod.Format "2006-01-02" }}">{{ .Lastmod.Format "2 January 2006" }}</time></p>
  </header>
  <div class="page-body">
    <div class="page-text">
      <nav class="toc"><h2>Inhoud</h2>{{ .TableOfContents }}</nav>
      <section class="facts"><h2>Gegevens</h2>
        <dl>{{ range $key, $value := .Params }}<dt>{{ $key }}</dt><dd>{{ $value }}</dd>{{ end }}</dl>
      </section>
      {{ .Content }}
    </div>
    <aside class="page-aside">
      <p class="edit"><a href="https://example.org/bewerken/{{ .File.Path }}">Bewerk deze pagina</a></p>
    </aside>
  </div>
</article>
{{ end }}
"##;

const LIST: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul class="page-list">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.date }} <time>{{ . }}</time>{{ end }}{{ with .Params.status }} <span class="badge">{{ . }}</span>{{ end }}{{ with .Params.period }} <span class="period">{{ . }}</span>{{ end }}{{ with .Params.type }} <span class="badge">{{ . }}</span>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
"##;

pub fn write_site(root: &Path) -> std::io::Result<()> {
    let layouts = root.join("layouts/_default");
    std::fs::create_dir_all(&layouts)?;
    std::fs::write(root.join("hugo.toml"), SETTINGS)?;
    std::fs::write(layouts.join("baseof.html"), BASE)?;
    std::fs::write(layouts.join("single.html"), SINGLE)?;
    std::fs::write(layouts.join("list.html"), LIST)?;
    Ok(())
}
