module aspirenotify/azd-render

go 1.19
