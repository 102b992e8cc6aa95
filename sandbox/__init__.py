"""The offline portal sandbox: the real portals' hostnames, URL grammar and markup, served locally.

It stands apart from the crawler: nothing here imports crawler/, spiders/ or pipelines/, and they
import nothing from here, so the truth it knows (its manifest) never comes from the code under test.
"""
