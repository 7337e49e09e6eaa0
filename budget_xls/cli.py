"""Command-line interface: wires options to library functions, nothing more.

Exit codes: 0 no errors; 1 errors found (outputs written); 2 could not run (outputs untouched);
130 interrupted by Ctrl+C, 143 by SIGTERM (outputs untouched, workers stopped).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from budget_xls import __version__, limits
from budget_xls.cli_zh import install as _speak_chinese

_speak_chinese()
from budget_xls.rulebooks import PRESETS

DEFAULT_OUTPUT = Path("output") / "绩效目标汇总.xlsx"  # as budget_xls.api.DEFAULT_OUTPUT (not imported: start-up)


EXIT_SIGINT = 130  # 128 + SIGINT, as shells report it
EXIT_SIGTERM = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl+C, so every temporary file and worker is cleaned up."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def _install_signals() -> None:
    import signal

    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal here
        pass


class Fatal(click.ClickException):
    """Could not run: exit 2 with a one-line Chinese message on stderr."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.message}", err=True)


def _codes(value: str | None) -> frozenset[str]:
    from budget_xls.rules import REGISTRY

    if not value:
        return frozenset()
    codes = frozenset(c.strip().upper() for c in value.replace("，", ",").split(",") if c.strip())
    unknown = sorted(codes - set(REGISTRY))
    if unknown:
        raise Fatal(f"未知的规则代码：{', '.join(unknown)}（用 budget-xls rules 查看全部规则）")
    return codes


class _ChineseFormatter(click.HelpFormatter):
    """Help pages with Chinese punctuation: "选项：", "用法：budget-xls …"."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")


class _ChineseContext(click.Context):
    formatter_class = _ChineseFormatter


class _ChineseHelp(click.Group):
    """Every command's -h/--help says what it does in Chinese, like the rest of the CLI."""

    context_class = _ChineseContext

    def get_help_option(self, ctx):
        return _chinese_help(super().get_help_option(ctx))

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", _ChineseHelpCommand)
        return super().command(*args, **kwargs)

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.NoArgsIsHelpError as exc:  # `budget-xls` alone: the help, not an error
            click.echo(exc.ctx.get_help())
            sys.exit(0)
        except click.UsageError as exc:  # one Chinese line
            sub = exc.ctx.command.name if exc.ctx is not None and exc.ctx.parent is not None else None
            command = f"budget-xls {sub}" if sub else "budget-xls"
            click.echo(f"用法错误：{_zh_punctuation(exc.format_message())}（用 {command} -h 查看用法）", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:  # Ctrl+C (click turns KeyboardInterrupt into Abort)
            click.echo("已中止（Ctrl+C）：未写入任何输出，已有的输出保持原样。", err=True)
            sys.exit(EXIT_SIGINT)
        except KeyboardInterrupt:
            click.echo("已中止（Ctrl+C）：未写入任何输出，已有的输出保持原样。", err=True)
            sys.exit(EXIT_SIGINT)
        except Terminated:
            click.echo("已被终止（SIGTERM）：未写入任何输出，已有的输出保持原样。", err=True)
            sys.exit(EXIT_SIGTERM)


def _zh_punctuation(message: str) -> str:
    """click's message, punctuated as Chinese: “FOLDER” for 'FOLDER', 。 for a final ".", no stray spaces."""
    message = re.sub(r"'([^']*)'", r"“\1”", message.strip())
    message = re.sub(r"\.$", "。", message)
    return message.replace("。 ", "。").replace("？ ", "？")


class _ChineseHelpCommand(click.Command):
    context_class = _ChineseContext

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        return _chinese_help(super().get_help_option(ctx))


def _chinese_help(option):
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


@click.group(cls=_ChineseHelp, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, prog_name="budget-xls", help="显示版本号并退出。")
def main() -> None:
    """budget-xls：财政项目支出绩效目标申报表的下发模板、收集、检查与汇总工具。"""


def run() -> None:
    """The ``budget-xls`` program: ``main``, then leave at once.

    A consolidate run ends holding millions of small objects (forms, findings, the
    workbook's cells); letting the interpreter free them one by one cost 0.5–1 s at
    2,000 sheets, after every output was already written and closed. The streams are
    flushed here; an uncaught exception still ends the normal way, with its traceback.
    """
    _install_signals()
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to say
            pass
    os._exit(code)


RULEBOOK_OPTION = click.option(
    "--rulebook", type=click.Choice(list(PRESETS)), default=None,
    help="规则集（审核口径）：" + "；".join(f"{name} = {book.title}" for name, book in PRESETS.items())
    + "。默认 default；shanghai-2025、central-2021 要求设置成本指标（I14、C01、C02 为警告）。")


@main.command()
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), metavar="路径",
              default=Path("input_templates") / "绩效目标申报模板.xlsx", show_default=True,
              help="模板文件的保存位置。")
@click.option("--year", type=click.IntRange(2000, 2100), default=2022, show_default=True, metavar="年份",
              help="预算年度。")
@click.option("--projects", type=click.IntRange(1, 200), default=1, show_default=True, metavar="N",
              help="预置的项目工作表数量。")
def template(output: Path, year: int, projects: int) -> None:
    """生成空白申报模板（下发给各填报单位）。"""
    from budget_xls import api

    try:
        path = api.write_template(output, year=year, projects=projects)
    except (api.OutputLocked, api.RunError) as exc:
        raise Fatal(str(exc)) from exc
    except OSError as exc:
        from budget_xls.guards import os_reason

        raise Fatal(f"无法写入模板文件 {output}：{os_reason(exc)}") from exc
    click.echo(f"已生成 {year} 年度申报模板（{projects} 张项目表）：{path}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), metavar="文件夹")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="路径",
              help=f"汇总工作簿的保存位置（默认 {DEFAULT_OUTPUT}）。")
@click.option("--report-json", "report_json", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="路径",
              help="JSON 报告的保存位置（默认与汇总工作簿同名，扩展名 .json）。")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, metavar="年份",
              help="预算年度；不指定时从申报表表头“(2022 年度)”识别。")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束。")
@click.option("--ignore", "ignore", default=None, metavar="代码", help="忽略的规则代码，逗号分隔，如 I05,M04。")
@click.option("-q", "--quiet", is_flag=True, help="不输出摘要（只通过退出码表示结果）。")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
              help="同时读取工作簿的进程数（默认为 CPU 核数）；每个文件在独立进程中读取，一个文件崩溃或超时只影响它自己。")
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="文件夹",
              help="为每个有问题的工作簿在此文件夹生成审核意见副本（标注单元格并附“审核意见”工作表）。")
@click.option("--roster", "roster_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="文件",
              help="应报送单位名单（文本文件每行一个，或 .xlsx 第一列）；未提交的单位报 X02。")
@click.option("--previous", "previous", multiple=True, type=click.Path(path_type=Path), metavar="上年汇总",
              help="上年的汇总工作簿、JSON 报告或申报表文件夹：与上年对比（P 类规则、“上年对比”工作表）；"
                   "可再给一次前年的，以检查连续三年相同的指标值。")
@click.option("--change-threshold", "change_threshold", type=click.FloatRange(0, 1000), default=30, show_default=True,
              help="与上年对比时，年度资金增减超过此百分比而指标未变即报 P03。")
@RULEBOOK_OPTION
@click.option("--stream/--no-stream", "stream", default=None,
              help=f"大批量模式：申报表的指标、明细等暂存到临时文件，汇总表的大工作表边写边存盘，内存占用少、"
                   f"用时稍多；默认在输出超过 {limits.STREAM_ROWS:,} 行时自动启用。两种模式写出的汇总表内容相同。")
def consolidate(folder: Path, output: Path | None, report_json: Path | None, year: int | None,
                strict: bool, ignore: str | None, quiet: bool, feedback_dir: Path | None,
                roster_file: Path | None, jobs: int | None = None, previous: tuple[Path, ...] = (),
                change_threshold: float = 30, rulebook: str | None = None, stream: bool | None = None) -> None:
    """读取文件夹下所有退回的工作簿，检查并汇总为一个部门汇总工作簿和 JSON 报告。"""
    from budget_xls import api
    from budget_xls.console import summary_lines
    from budget_xls.guards import os_reason
    from budget_xls.outputs.annotate import FeedbackError

    output = output or DEFAULT_OUTPUT
    report_json = report_json or api.default_report_path(output)
    codes = _codes(ignore)
    bar = _ProgressBar() if not quiet and _stderr_is_tty() else None
    annotated: list = []
    try:
        with api.lock_outputs(output) as lock:
            for note in lock.notes:
                click.echo(f"注意：{note}", err=True)
            result = api.consolidate(folder, year=year, ignore=codes, strict=strict, roster=roster_file, jobs=jobs,
                                     outputs=(output, report_json), feedback=feedback_dir, progress=bar,
                                     previous=previous, change_threshold=change_threshold, rulebook=rulebook,
                                     stream=stream)
            if bar is not None:
                bar.writing()
            api.write_outputs(result, output, report_json, feedback=feedback_dir, annotated=annotated)
    except (api.RunError, api.OutputLocked) as exc:
        raise Fatal(str(exc)) from exc
    except FeedbackError as exc:
        raise Fatal(str(exc)) from exc
    except OSError as exc:
        raise Fatal(f"无法写入输出文件：{exc.filename or output}（{os_reason(exc)}）") from exc
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        for line in summary_lines(result, output, report_json):
            click.echo(line)
    _feedback_summary(annotated, feedback_dir, quiet)
    sys.exit(result.exit_code)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件...")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, metavar="年份",
              help="预算年度；不指定时从申报表表头“(2022 年度)”识别。")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="文件夹",
              help="在此文件夹生成审核意见副本（标注有问题的单元格，并附“审核意见”工作表）。")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束。")
@click.option("--ignore", "ignore", default=None, metavar="代码", help="忽略的规则代码，逗号分隔，如 I05,M04。")
@RULEBOOK_OPTION
def check(files: tuple[Path, ...], year: int | None, annotate_dir: Path | None, strict: bool,
          ignore: str | None, rulebook: str | None = None) -> None:
    """检查一个或多个工作簿（填报单位报送前自查），按文件和工作表列出问题。"""
    from budget_xls import api
    from budget_xls.console import console_lines

    try:
        result = api.check(files, year=year, ignore=_codes(ignore), strict=strict, rulebook=rulebook)
    except api.RunError as exc:
        raise Fatal(str(exc)) from exc
    styles = {"error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow", "bold": True},
              "info": {"fg": "cyan"}, "file": {"bold": True}, "sheet": {"fg": "blue"}}
    for segments in console_lines(result.files, result.findings):
        click.echo("".join(click.style(text, **styles[style]) if style else text for text, style in segments))
    _feedback_summary(_feedback(result, annotate_dir), annotate_dir)
    sys.exit(result.exit_code)


def _feedback(result, out_dir: Path | None) -> list:
    from budget_xls import api
    from budget_xls.outputs.annotate import FeedbackError

    if out_dir is None:
        return []
    try:
        return api.annotate(result, out_dir)
    except FeedbackError as exc:
        raise Fatal(str(exc)) from exc
    except OSError as exc:
        from budget_xls.guards import os_reason

        raise Fatal(f"无法写入审核意见副本：{exc.filename or out_dir}（{os_reason(exc)}）") from exc


def _feedback_summary(annotated: list, out_dir: Path | None, quiet: bool = False) -> None:
    if out_dir is None:
        return
    written = [a for a in annotated if a.target is not None]
    if not quiet:
        click.echo(f"审核意见副本：{len(written)} 个，位于 {out_dir}")
    for a in annotated:
        if a.target is None:
            click.echo(f"未生成 {a.file} 的审核意见副本：{a.note}", err=True)


NAME_WIDTH = 30  # display columns of the file name beside the bar (a CJK character takes two)


def _fit_name(item: str | None) -> str:
    """A file name cut or padded to the same display width, so a shorter name leaves nothing behind."""
    from budget_xls.textwidth import display_width

    text = item or ""
    while display_width(text) > NAME_WIDTH:
        text = text[1:]
    if text != (item or ""):
        text = "…" + text[1:]
    return text + " " * max(0, NAME_WIDTH - display_width(text))


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _ProgressBar:
    """click's progress bar on stderr (files done / total, current file); stdout stays the report's."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, rel: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="读取工作簿", file=sys.stderr, show_pos=True,
                                         item_show_func=_fit_name)
            self.bar.__enter__()
        self.bar.update(1, rel)

    def writing(self) -> None:
        """The last phase: the reads are done, the consolidated workbook is being written."""
        self.close()
        click.echo("正在写入汇总表和 JSON 报告……", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command()
@click.argument("code", required=False, metavar="[代码]")
def rules(code: str | None) -> None:
    """列出全部检查规则；给出 CODE 时解释该规则。"""
    from budget_xls.rules import REGISTRY, SEVERITY_CN, explain

    if code is None:
        for r in REGISTRY.values():
            click.echo(f"{r.code}  {SEVERITY_CN[r.severity]}  {r.dimension}  {r.title}")
        return
    r = REGISTRY.get(code.strip().upper())
    if r is None:
        raise Fatal(f"没有规则 {code}（用 budget-xls rules 查看全部规则）")
    click.echo(f"{r.code}  {SEVERITY_CN[r.severity]}  {r.title}")
    click.echo(f"审核维度：{r.dimension}")
    for heading, text in explain(r.code):
        click.echo(f"{heading}：{text}")


if __name__ == "__main__":  # pragma: no cover
    main()
