# Report templates embedded into the binary: the HTML report inlines them.
list(APPEND SUSAUDIT_EMBED_FILES
  reports/report.css
  reports/report.js)
