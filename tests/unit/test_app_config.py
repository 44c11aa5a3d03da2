"""The app's server settings: private by default, whatever the machine's Jupyter config says."""

from __future__ import annotations

from pathlib import Path

from followup.app.server import App, voila_config


def test_the_server_listens_on_loopback_only_with_its_token_and_no_tracebacks() -> None:
    config = voila_config("s3cret-token", 8899, Path("/run/x"))
    assert config["Voila"]["ip"] == "127.0.0.1"
    assert config["Voila"]["port"] == 8899 and config["Voila"]["port_retries"] == 0
    assert config["Voila"]["token"] == "s3cret-token"
    assert config["Voila"]["open_browser"] is False
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    assert (
        voila_config("t", 1, Path("/x"), warm=False)["VoilaConfiguration"]["preheat_kernel"]
        is False
    )


def test_a_page_address_names_the_opportunity_and_carries_the_token() -> None:
    app = App(8899, "tok", Path("/data"), process=None, runtime=Path("/r"), log=Path("/r/log"))
    assert app.url == "http://127.0.0.1:8899/voila/render/00_dashboard.ipynb?token=tok"
    assert app.page_url("02_debrief.ipynb", "acme-data-analyst") == (
        "http://127.0.0.1:8899/voila/render/02_debrief.ipynb?opportunity=acme-data-analyst&token=tok"
    )
    assert app.page_url(token=False) == "http://127.0.0.1:8899/voila/render/00_dashboard.ipynb"


def test_the_app_keeps_jupyters_xsrf_check_on():
    settings = voila_config("t0ken", 8866, Path("/tmp/x"))["Voila"]["tornado_settings"]
    assert settings.get("disable_check_xsrf", False) is False


def test_page_kernels_are_forked_and_a_closed_pages_kernel_goes_within_a_minute() -> None:
    config = voila_config("t", 1, Path("/x"))
    assert config["VoilaConfiguration"]["multi_kernel_manager_class"] == (
        "followup.app.kernels.PageKernels"
    )
    assert config["Voila"]["identity_provider_class"] == "followup.app.identity.PageIdentity"
    cull = config["MappingKernelManager"]
    assert cull["cull_connected"] is False, "a page still open keeps its kernel"
    assert cull["cull_idle_timeout"] + cull["cull_interval"] <= 60
    assert config["VoilaConfiguration"]["default_pool_size"] == 1


def test_the_app_as_it_was_stays_available_as_the_benchmarks_baseline() -> None:
    config = voila_config("t", 1, Path("/x"), lean=False)
    assert "multi_kernel_manager_class" not in config["VoilaConfiguration"]
    assert "identity_provider_class" not in config["Voila"]
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 600
